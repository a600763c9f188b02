using Counter.Core;
using Counter.Storage.Tables;
using Counter.Testing.Azurite;

namespace Counter.Storage.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableSnapshotStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TableStorageOptions storage = new() { TablesConnection = azurite.ConnectionString, TableName = "s" + Guid.NewGuid().ToString("N") };

    [Fact]
    public async Task A_written_snapshot_reads_back_one_by_one_and_by_page()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "a", 10), ("t", "b", 20), ("u", "a", 30)), CancellationToken.None);

        var a = await store.ReadAsync(CounterKey.Create("t", "a"), CancellationToken.None);
        var page = await store.ReadPageAsync("t", null, 10, CancellationToken.None);

        Assert.Equal(new SnapshotRow(CounterKey.Create("t", "a"), 10, 1, At), a);
        Assert.Equal(["a", "b"], page.Rows.Select(row => row.Counter.Name));
        Assert.Equal([10L, 20L], page.Rows.Select(row => row.Value));
        Assert.Null(page.ContinuationToken);
        Assert.Null(await store.ReadAsync(CounterKey.Create("t", "never"), CancellationToken.None));
    }

    [Fact]
    public async Task Rows_live_under_the_key_prefix_and_tenant_with_typed_properties()
    {
        await Store().WriteAsync(Batch(4, ("t", "a", 10)), CancellationToken.None);

        var entity = await Client().GetAsync("counters~t", "a", CancellationToken.None);

        Assert.Equal(10L, entity!.Get<long>("Value"));
        Assert.Equal(4L, entity.Get<long>("Version"));
        Assert.Equal(At, entity.Get<DateTimeOffset>("UpdatedAt"));
    }

    [Fact]
    public async Task A_stale_or_replayed_snapshot_never_overwrites_a_newer_one()
    {
        var store = Store();
        await store.WriteAsync(Batch(5, ("t", "a", 50), ("t", "b", 50)), CancellationToken.None);

        await store.WriteAsync(Batch(3, ("t", "a", 30), ("t", "b", 30), ("t", "c", 30)), CancellationToken.None);
        await store.WriteAsync(Batch(5, ("t", "a", 55)), CancellationToken.None);
        await store.WriteAsync(Batch(6, ("t", "b", 60)), CancellationToken.None);

        var page = await store.ReadPageAsync("t", null, 10, CancellationToken.None);
        Assert.Equal([("a", 50L, 5L), ("b", 60L, 6L), ("c", 30L, 3L)], page.Rows.Select(row => (row.Counter.Name, row.Value, row.Version)));
    }

    [Fact]
    public async Task Racing_writers_leave_the_newest_version_of_every_counter()
    {
        var names = Enumerable.Range(0, 150).Select(i => $"n{i:D3}").ToArray();
        var writers = Enumerable.Range(1, 6).Select(version => Task.Run(() =>
            Store().WriteAsync(Batch(version, names.Select(name => ("t", name, version * 10L)).ToArray()), CancellationToken.None)));

        await Task.WhenAll(writers);

        var page = await Store().ReadPageAsync("t", null, 1000, CancellationToken.None);
        Assert.Equal(names, page.Rows.Select(row => row.Counter.Name));
        Assert.All(page.Rows, row => Assert.Equal((6L, 60L), (row.Version, row.Value)));
    }

    [Fact]
    public async Task Twenty_five_hundred_counters_of_one_tenant_read_back_page_by_page()
    {
        var store = Store();
        var names = Enumerable.Range(0, 2500).Select(i => $"c{i:D5}").ToList();
        await store.WriteAsync(Batch(1, names.Select(name => ("big", name, 1L)).ToArray()), CancellationToken.None);

        var read = new List<string>();
        var pages = new List<int>();
        string? token = null;
        do
        {
            var page = await store.ReadPageAsync("big", token, ISnapshotStore.MaxPageSize, CancellationToken.None);
            read.AddRange(page.Rows.Select(row => row.Counter.Name));
            pages.Add(page.Rows.Count);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(names, read);
        Assert.Equal([1000, 1000, 500], pages);
    }

    [Fact]
    public async Task A_page_boundary_that_falls_on_the_last_counter_ends_without_a_token()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "a", 1), ("t", "b", 2)), CancellationToken.None);

        var first = await store.ReadPageAsync("t", null, 1, CancellationToken.None);
        var second = await store.ReadPageAsync("t", first.ContinuationToken, 1, CancellationToken.None);

        Assert.Equal("a", Assert.Single(first.Rows).Counter.Name);
        Assert.Equal("b", Assert.Single(second.Rows).Counter.Name);
        Assert.Null(second.ContinuationToken);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("Lw")]
    public async Task A_continuation_token_no_page_issued_is_refused(string token)
    {
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Store().ReadPageAsync("t", token, 10, CancellationToken.None));
    }

    [Theory]
    [InlineData("o'brien", "it's")]
    [InlineData("東京", "Zähler-𠀀-काउंटर")]
    [InlineData("t", "a+b:c@d~e.f_g-''")]
    public async Task Counters_with_quotes_and_unicode_round_trip(string tenant, string name)
    {
        var store = Store();
        await store.WriteAsync(Batch(1, (tenant, name, 42), (tenant, name + "2", 43)), CancellationToken.None);

        var row = await store.ReadAsync(CounterKey.Create(tenant, name), CancellationToken.None);
        var page = await store.ReadPageAsync(tenant, null, 10, CancellationToken.None);

        Assert.Equal(42L, row!.Value);
        Assert.Equal([name, name + "2"], page.Rows.Select(r => r.Counter.Name));
    }

    [Fact]
    public async Task Counters_with_the_longest_tenant_and_name_round_trip()
    {
        var store = Store();
        var tenant = string.Concat(Enumerable.Repeat("ü", KeyRules.MaxTenantLength));
        var name = string.Concat(Enumerable.Repeat("𠀀", KeyRules.MaxNameLength / 2));
        await store.WriteAsync(Batch(1, (tenant, name, 7)), CancellationToken.None);

        Assert.Equal(7L, (await store.ReadAsync(CounterKey.Create(tenant, name), CancellationToken.None))!.Value);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\tb")]
    [InlineData("a\u007fb")]
    [InlineData("")]
    public void Keys_Table_Storage_forbids_cannot_be_made_so_never_reach_it(string forbidden)
    {
        Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create("t", forbidden));
        Assert.Throws<InvalidCounterKeyException>(() => CounterKey.Create(forbidden, "n"));
    }

    [Fact]
    public async Task A_wrong_account_key_is_a_clear_403_naming_the_table()
    {
        var wrong = new TableStorageOptions { TablesConnection = azurite.ConnectionStringWithKey(Convert.ToBase64String(new byte[64])), TableName = storage.TableName };
        var store = TableSnapshotStore.Create(wrong, "counters");

        var error = await Assert.ThrowsAsync<TableStorageException>(() => store.WriteAsync(Batch(1, ("t", "a", 1)), CancellationToken.None));

        Assert.Equal(TableErrorKind.AuthorizationFailed, error.Kind);
        Assert.Equal(403, error.Status);
        Assert.Contains($"'{storage.TableName}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_Azurite_is_down_writes_fail_as_Unavailable_and_succeed_again_once_it_is_back()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "a", 1)), CancellationToken.None);
        azurite.Stop();
        try
        {
            var error = await Assert.ThrowsAsync<TableStorageException>(() => store.WriteAsync(Batch(2, ("t", "a", 2)), CancellationToken.None));
            Assert.Equal(TableErrorKind.Unavailable, error.Kind);
        }
        finally
        {
            azurite.Start();
        }

        await store.WriteAsync(Batch(2, ("t", "a", 2)), CancellationToken.None);

        Assert.Equal(2L, (await store.ReadAsync(CounterKey.Create("t", "a"), CancellationToken.None))!.Value);
    }

    [Fact]
    public void Options_name_every_problem()
    {
        var problems = new TableStorageOptions { TablesConnection = "AccountName=x", TableName = "no-dashes" }.Validate();

        Assert.Collection(
            problems,
            problem => Assert.Contains("Storage:TablesConnection", problem, StringComparison.Ordinal),
            problem => Assert.Contains("Storage:TableName", problem, StringComparison.Ordinal));
        Assert.Contains("Storage:TablesConnection is required", Assert.Single(new TableStorageOptions().Validate()), StringComparison.Ordinal);
        Assert.Empty(new TableStorageOptions { TablesConnection = "UseDevelopmentStorage=true" }.Validate());
        Assert.Empty(new TableStorageOptions { TablesConnection = "https://account.table.core.windows.net" }.Validate());
    }

    private TableSnapshotStore Store() => TableSnapshotStore.Create(storage, "counters", FastRetries());

    private TableClient Client() => new(TableConnection.Parse(azurite.ConnectionString), storage.TableName);

    private static TableClientOptions FastRetries() =>
        new() { Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) } };

    private static SnapshotBatch Batch(long version, params (string Tenant, string Name, long Value)[] rows) =>
        new(version, At, rows.Select(row => new SnapshotRow(CounterKey.Create(row.Tenant, row.Name), row.Value, version, At)).ToList());
}
