using Counter.Core;
using Counter.Testing;

namespace Counter.Storage.Tests;

public sealed class SqliteSnapshotStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory folder = new();

    [Fact]
    public async Task A_row_is_never_overwritten_by_an_equal_or_older_version()
    {
        var store = Open();
        var key = CounterKey.InDefaultTenant("visits");
        await store.WriteAsync(Batch(5, (key, 50)), default);
        await store.WriteAsync(Batch(4, (key, 40)), default);
        await store.WriteAsync(Batch(5, (key, 55)), default);
        Assert.Equal(50, (await store.ReadAsync(key, default))!.Value);

        await store.WriteAsync(Batch(6, (key, 60)), default);
        var row = await store.ReadAsync(key, default);
        Assert.Equal(new SnapshotRow(key, 60, 6, Noon), row);
    }

    [Fact]
    public async Task A_removed_counter_goes_unless_the_store_holds_it_at_the_removals_version_or_later()
    {
        var store = Open();
        var (old, rewritten, same, kept) = (CounterKey.InDefaultTenant("old"), CounterKey.InDefaultTenant("rewritten"), CounterKey.InDefaultTenant("same"), CounterKey.InDefaultTenant("kept"));
        await store.WriteAsync(Batch(1, (old, 1), (rewritten, 1), (kept, 1)), default);
        await store.WriteAsync(Batch(5, (rewritten, 5)), default);

        await store.WriteAsync(Batch(3, (same, 3)) with { Removed = [old, rewritten, same, CounterKey.InDefaultTenant("never")] }, default);

        Assert.Null(await store.ReadAsync(old, default));
        Assert.Equal(5, (await store.ReadAsync(rewritten, default))!.Value);
        Assert.Equal(3, (await store.ReadAsync(same, default))!.Value);
        Assert.Equal(1, (await store.ReadAsync(kept, default))!.Value);
    }

    [Fact]
    public async Task Removing_a_tenant_removes_its_rows_whatever_their_version_and_no_other_tenants()
    {
        var store = Open();
        await store.WriteAsync(Batch(1, (CounterKey.Create("gone", "a"), 1), (CounterKey.Create("stays", "a"), 1), (CounterKey.Create("gone2", "a"), 1)), default);
        await store.WriteAsync(Batch(9, (CounterKey.Create("gone", "b"), 9)), default);

        await store.RemoveTenantAsync("gone", default);
        await store.RemoveTenantAsync("never", default);

        Assert.Empty((await store.ReadPageAsync("gone", null, null, 10, default)).Rows);
        Assert.Equal(["a"], (await store.ReadPageAsync("stays", null, null, 10, default)).Rows.Select(row => row.Counter.Name));
        Assert.Equal(["a"], (await store.ReadPageAsync("gone2", null, null, 10, default)).Rows.Select(row => row.Counter.Name));
    }

    [Fact]
    public async Task Concurrent_writes_are_all_committed_each_as_if_alone()
    {
        var store = Open();
        var hot = CounterKey.InDefaultTenant("hot");
        var removed = CounterKey.InDefaultTenant("removed");
        await store.WriteAsync(Batch(1, (removed, 1)), default);

        // Group-committed together: every batch's rows land, the newest version of the hot counter wins whatever the order.
        await Task.WhenAll(Enumerable.Range(1, 300).Select(version => Task.Run(() => store.WriteAsync(
            Batch(version, (hot, version * 10), (CounterKey.InDefaultTenant($"c{version}"), version)) with { Removed = version == 150 ? [removed] : null },
            default))));

        Assert.Equal(3_000, (await store.ReadAsync(hot, default))!.Value);
        Assert.Null(await store.ReadAsync(removed, default));
        Assert.Equal(300, (await store.ReadPageAsync(CounterKey.DefaultTenant, null, null, 1_000, default)).Rows.Count(row => row.Counter.Name.StartsWith('c')));
    }

    [Fact]
    public async Task A_write_cancelled_before_it_is_taken_is_not_written()
    {
        var store = Open();
        var key = CounterKey.InDefaultTenant("visits");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync(Batch(1, (key, 1)), new CancellationToken(canceled: true)));
        Assert.Null(await store.ReadAsync(key, default));
    }

    [Fact]
    public async Task Reading_a_counter_never_snapshotted_gives_null()
    {
        Assert.Null(await Open().ReadAsync(CounterKey.InDefaultTenant("nothing"), default));
    }

    [Fact]
    public async Task Rows_survive_reopening()
    {
        var key = CounterKey.Create("acme", "orders");
        await Open().WriteAsync(Batch(1, (key, 7)), default);
        Assert.Equal(7, (await Open().ReadAsync(key, default))!.Value);
    }

    [Fact]
    public async Task Pages_walk_every_counter_of_a_tenant_once_in_name_order()
    {
        var store = Open();
        var names = Enumerable.Range(0, 2_500).Select(index => $"c{index:D5}").ToList();
        await store.WriteAsync(new SnapshotBatch(1, Noon, names.Select(name => new SnapshotRow(CounterKey.InDefaultTenant(name), 1, 1, Noon)).ToList()), default);
        await store.WriteAsync(Batch(1, (CounterKey.Create("other", "c00001"), 1)), default);

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await store.ReadPageAsync(CounterKey.DefaultTenant, null, token, ISnapshotStore.MaxPageSize, default);
            Assert.InRange(page.Rows.Count, 1, ISnapshotStore.MaxPageSize);
            seen.AddRange(page.Rows.Select(row => row.Counter.Name));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(names, seen);
    }

    [Fact]
    public async Task A_prefix_narrows_the_pages_to_the_names_that_start_with_it()
    {
        var store = Open();
        await store.WriteAsync(Batch(1, [.. PrefixPages.Rows.Select(row => (CounterKey.Create(row.Tenant, row.Name), 1L))]), default);

        foreach (var (prefix, pages) in PrefixPages.Expected)
        {
            Assert.Equal(pages, await PrefixPages.ReadAsync(store, prefix));
        }
    }

    [Fact]
    public async Task The_last_page_has_no_continuation_token()
    {
        var store = Open();
        await store.WriteAsync(Batch(1, (CounterKey.InDefaultTenant("a"), 1), (CounterKey.InDefaultTenant("b"), 2)), default);
        var page = await store.ReadPageAsync(CounterKey.DefaultTenant, null, null, 2, default);
        Assert.Equal(2, page.Rows.Count);
        Assert.Null(page.ContinuationToken);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("Lw")]
    [InlineData("")]
    public async Task A_token_the_store_did_not_issue_is_refused(string token)
    {
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Open().ReadPageAsync(CounterKey.DefaultTenant, null, token, 10, default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_page_size_out_of_range_is_refused(int pageSize)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Open().ReadPageAsync(CounterKey.DefaultTenant, null, null, pageSize, default));
    }

    public void Dispose() => folder.Dispose();

    private SqliteSnapshotStore Open() => new(folder.File("counters.db"), SqliteSynchronous.Full);

    private static SnapshotBatch Batch(long version, params (CounterKey Key, long Value)[] rows) =>
        new(version, Noon, rows.Select(row => new SnapshotRow(row.Key, row.Value, version, Noon)).ToList());
}
