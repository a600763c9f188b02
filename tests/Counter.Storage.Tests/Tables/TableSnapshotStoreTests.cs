using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
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
        var page = await store.ReadPageAsync("t", null, null, 10, CancellationToken.None);

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

        TableEntity entity = await Client().GetEntityAsync<TableEntity>("counters~t", "a");

        Assert.Equal(10L, Assert.IsType<long>(entity["Value"]));
        Assert.Equal(4L, Assert.IsType<long>(entity["Version"]));
        Assert.Equal(At, entity.GetDateTimeOffset("UpdatedAt"));
    }

    [Fact]
    public async Task A_stale_or_replayed_snapshot_never_overwrites_a_newer_one()
    {
        var store = Store();
        await store.WriteAsync(Batch(5, ("t", "a", 50), ("t", "b", 50)), CancellationToken.None);

        await store.WriteAsync(Batch(3, ("t", "a", 30), ("t", "b", 30), ("t", "c", 30)), CancellationToken.None);
        await store.WriteAsync(Batch(5, ("t", "a", 55)), CancellationToken.None);
        await store.WriteAsync(Batch(6, ("t", "b", 60)), CancellationToken.None);

        var page = await store.ReadPageAsync("t", null, null, 10, CancellationToken.None);
        Assert.Equal([("a", 50L, 5L), ("b", 60L, 6L), ("c", 30L, 3L)], page.Rows.Select(row => (row.Counter.Name, row.Value, row.Version)));
    }

    [Fact]
    public async Task A_removed_counter_goes_unless_the_store_holds_it_at_the_removals_version_or_later()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "old", 1), ("t", "rewritten", 1), ("t", "kept", 1), ("u", "old", 1)), CancellationToken.None);
        await store.WriteAsync(Batch(5, ("t", "rewritten", 5)), CancellationToken.None);

        var removal = Batch(3, ("t", "same", 3)) with { Removed = [CounterKey.Create("t", "old"), CounterKey.Create("t", "rewritten"), CounterKey.Create("t", "same"), CounterKey.Create("t", "never")] };
        await store.WriteAsync(removal, CancellationToken.None);

        var page = await store.ReadPageAsync("t", null, null, 10, CancellationToken.None);
        Assert.Equal([("kept", 1L), ("rewritten", 5L), ("same", 3L)], page.Rows.Select(row => (row.Counter.Name, row.Version)));
        Assert.NotNull(await store.ReadAsync(CounterKey.Create("u", "old"), CancellationToken.None));
    }

    [Fact]
    public async Task Removing_a_tenant_removes_its_rows_in_transactions_of_at_most_a_hundred_and_no_other_tenants()
    {
        var requests = new RequestRecorder();
        var store = Store(requests);
        await store.WriteAsync(Batch(1, [.. Enumerable.Range(0, 250).Select(i => ("gone", $"c{i:D3}", 1L)), ("stays", "a", 1L), ("gone2", "a", 1L)]), CancellationToken.None);
        await store.WriteAsync(Batch(9, ("gone", "c000", 9)), CancellationToken.None);
        var batchesBefore = requests.Paths.Count(path => path.EndsWith("/$batch", StringComparison.Ordinal));

        await store.RemoveTenantAsync("gone", CancellationToken.None);
        await store.RemoveTenantAsync("never", CancellationToken.None);

        Assert.Equal(3, requests.Paths.Count(path => path.EndsWith("/$batch", StringComparison.Ordinal)) - batchesBefore);
        Assert.Empty((await store.ReadPageAsync("gone", null, null, 1000, CancellationToken.None)).Rows);
        Assert.Equal(["a"], (await store.ReadPageAsync("stays", null, null, 10, CancellationToken.None)).Rows.Select(row => row.Counter.Name));
        Assert.Equal(["a"], (await store.ReadPageAsync("gone2", null, null, 10, CancellationToken.None)).Rows.Select(row => row.Counter.Name));
    }

    [Fact]
    public async Task Racing_writers_leave_the_newest_version_of_every_counter()
    {
        var names = Enumerable.Range(0, 150).Select(i => $"n{i:D3}").ToArray();
        var writers = Enumerable.Range(1, 6).Select(version => Task.Run(() =>
            Store().WriteAsync(Batch(version, names.Select(name => ("t", name, version * 10L)).ToArray()), CancellationToken.None)));

        await Task.WhenAll(writers);

        var page = await Store().ReadPageAsync("t", null, null, 1000, CancellationToken.None);
        Assert.Equal(names, page.Rows.Select(row => row.Counter.Name));
        Assert.All(page.Rows, row => Assert.Equal((6L, 60L), (row.Version, row.Value)));
    }

    [Fact]
    public async Task The_rows_of_one_tenant_go_in_transactions_of_at_most_a_hundred()
    {
        var requests = new RequestRecorder();
        var store = Store(requests);
        await store.WriteAsync(Batch(1, Enumerable.Range(0, 250).Select(i => ("t", $"c{i:D3}", 1L)).ToArray()), CancellationToken.None);

        Assert.Equal(3, requests.Paths.Count(path => path.EndsWith("/$batch", StringComparison.Ordinal)));
        Assert.Equal(250, (await store.ReadPageAsync("t", null, null, 1000, CancellationToken.None)).Rows.Count);
    }

    [Fact]
    public async Task Rows_the_store_wrote_itself_are_written_again_without_reading_them_first()
    {
        var requests = new RequestRecorder();
        var store = Store(requests);
        var names = Enumerable.Range(0, 250).Select(i => $"c{i:D3}").ToArray();

        await store.WriteAsync(Batch(1, names.Select(name => ("t", name, 1L)).ToArray()), CancellationToken.None);
        await store.WriteAsync(Batch(2, names.Select(name => ("t", name, 2L)).ToArray()), CancellationToken.None);
        await store.WriteAsync(Batch(2, ("t", "c000", 99)), CancellationToken.None);

        Assert.Equal(6, requests.Paths.Count(path => path.EndsWith("/$batch", StringComparison.Ordinal)));
        Assert.DoesNotContain(requests.Paths, IsQuery);
        var page = await store.ReadPageAsync("t", null, null, 1000, CancellationToken.None);
        Assert.All(page.Rows, row => Assert.Equal((2L, 2L), (row.Value, row.Version)));
    }

    [Fact]
    public async Task A_row_another_writer_changed_removed_or_added_since_is_read_and_never_overwritten_with_an_older_version()
    {
        var requests = new RequestRecorder();
        var store = Store(requests);
        var other = Store();
        await store.WriteAsync(Batch(1, ("t", "changed", 1), ("t", "removed", 1), ("t", "kept", 1)), CancellationToken.None);
        await other.WriteAsync(Batch(5, ("t", "changed", 5)), CancellationToken.None);
        await other.WriteAsync(Batch(3, ("t", "added", 3)) with { Removed = [CounterKey.Create("t", "removed")] }, CancellationToken.None);

        await store.WriteAsync(Batch(4, ("t", "added", 4), ("t", "changed", 4), ("t", "kept", 4), ("t", "removed", 4)), CancellationToken.None);
        await store.WriteAsync(Batch(6, ("t", "changed", 6)), CancellationToken.None);

        var page = await store.ReadPageAsync("t", null, null, 10, CancellationToken.None);
        Assert.Equal([("added", 4L), ("changed", 6L), ("kept", 4L), ("removed", 4L)], page.Rows.Select(row => (row.Counter.Name, row.Version)));
        // One read, after the guesses of the first attempt failed; the second write goes by that read; the page.
        Assert.Equal(2, requests.Paths.Count(IsQuery));
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
            var page = await store.ReadPageAsync("big", null, token, ISnapshotStore.MaxPageSize, CancellationToken.None);
            read.AddRange(page.Rows.Select(row => row.Counter.Name));
            pages.Add(page.Rows.Count);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(names, read);
        Assert.Equal([1000, 1000, 500], pages);
    }

    [Fact]
    public async Task A_prefix_narrows_the_pages_to_the_names_that_start_with_it()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, [.. PrefixPages.Rows.Select(row => (row.Tenant, row.Name, 1L))]), CancellationToken.None);

        foreach (var (prefix, pages) in PrefixPages.Expected)
        {
            Assert.Equal(pages, await PrefixPages.ReadAsync(store, prefix));
        }
    }

    [Fact]
    public async Task A_page_boundary_that_falls_on_the_last_counter_ends_without_a_token()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "a", 1), ("t", "b", 2)), CancellationToken.None);

        var first = await store.ReadPageAsync("t", null, null, 1, CancellationToken.None);
        var second = await store.ReadPageAsync("t", null, first.ContinuationToken, 1, CancellationToken.None);

        Assert.Equal("a", Assert.Single(first.Rows).Counter.Name);
        Assert.Equal("b", Assert.Single(second.Rows).Counter.Name);
        Assert.Null(second.ContinuationToken);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("Lw")]
    public async Task A_continuation_token_no_page_issued_is_refused(string token)
    {
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Store().ReadPageAsync("t", null, token, 10, CancellationToken.None));
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
        var page = await store.ReadPageAsync(tenant, null, null, 10, CancellationToken.None);
        var rest = await store.ReadPageAsync(tenant, null, SnapshotContinuationToken.After(name), 10, CancellationToken.None);

        Assert.Equal(42L, row!.Value);
        Assert.Equal([name, name + "2"], page.Rows.Select(r => r.Counter.Name));
        Assert.Equal([name + "2"], rest.Rows.Select(r => r.Counter.Name));
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
    public async Task A_table_deleted_under_the_store_is_created_again()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "a", 1)), CancellationToken.None);

        await Client().DeleteAsync();
        await store.WriteAsync(Batch(2, ("t", "b", 2)), CancellationToken.None);
        var afterWrite = await store.ReadPageAsync("t", null, null, 10, CancellationToken.None);
        await Client().DeleteAsync();
        var afterRead = await store.ReadPageAsync("t", null, null, 10, CancellationToken.None);
        await store.WriteAsync(Batch(3, ("t", "c", 3)), CancellationToken.None);

        Assert.Equal([("b", 2L)], afterWrite.Rows.Select(row => (row.Counter.Name, row.Value)));
        Assert.Empty(afterRead.Rows);
        Assert.Equal(3L, (await store.ReadAsync(CounterKey.Create("t", "c"), CancellationToken.None))!.Value);
    }

    [Fact]
    public async Task A_wrong_account_key_is_a_clear_403_naming_the_table_not_retried_and_never_printing_the_key()
    {
        var wrongKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var wrong = new TableStorageOptions { TablesConnection = azurite.ConnectionStringWithKey(wrongKey), TableName = storage.TableName };
        var requests = new RequestRecorder();
        var options = TableSnapshotStore.ClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerRetry);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => TableSnapshotStore.Create(wrong, "counters", options).WriteAsync(Batch(1, ("t", "a", 1)), CancellationToken.None));

        Assert.Equal(403, error.Status);
        Assert.Contains($"table '{storage.TableName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("status 403", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.Single(requests.Paths);
    }

    [Fact]
    public async Task While_Azurite_is_down_reads_fail_as_unavailable_within_two_seconds_and_writes_succeed_again_once_it_is_back()
    {
        var store = Store();
        await store.WriteAsync(Batch(1, ("t", "a", 1)), CancellationToken.None);
        azurite.Stop();
        try
        {
            var clock = Stopwatch.StartNew();
            var unavailable = await Assert.ThrowsAsync<SnapshotStoreUnavailableException>(() => store.ReadAsync(CounterKey.Create("t", "a"), CancellationToken.None));
            var readFailedAfter = clock.Elapsed;
            await Assert.ThrowsAsync<SnapshotStoreUnavailableException>(() => store.ReadPageAsync("t", null, null, 10, CancellationToken.None));
            var writeError = await Assert.ThrowsAsync<RequestFailedException>(() => store.WriteAsync(Batch(2, ("t", "a", 2)), CancellationToken.None));

            Assert.True(readFailedAfter < TimeSpan.FromSeconds(2), $"The read failed after {readFailedAfter}.");
            Assert.Contains($"table '{storage.TableName}', PartitionKey 'counters~t', RowKey 'a': no answer", unavailable.Message, StringComparison.Ordinal);
            Assert.Equal(0, writeError.Status);
            Assert.Contains("PartitionKey 'counters~t'", writeError.Message, StringComparison.Ordinal);
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
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn")]
    public void A_connection_string_is_valid_and_authorizes_with_its_key(string connection)
    {
        var options = new TableStorageOptions { TablesConnection = connection };

        Assert.Empty(options.Validate());
        Assert.Null(options.TablesEndpoint);
        Assert.NotNull(TableSnapshotStore.Create(options, "counters"));
    }

    [Theory]
    [InlineData("https://acct.table.core.windows.net")]
    [InlineData("https://acct.table.core.windows.net/")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1")]
    public void A_table_endpoint_alone_is_valid_and_authorizes_with_DefaultAzureCredential(string endpoint)
    {
        var options = new TableStorageOptions { TablesConnection = endpoint };

        Assert.Empty(options.Validate());
        Assert.Equal(new Uri(endpoint), options.TablesEndpoint);
        Assert.NotNull(TableSnapshotStore.Create(options, "counters"));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountKey={key}", "Connection string parsing error")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey {key};AccountKey {key}", "keyword '***'")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;Foo", "keyword 'Foo'")]
    [InlineData("AccountName=acct;AccountKey=not*base64", "not a valid Base-64 string")]
    [InlineData("AccountName=acct;AccountKey={key};TableEndpoint=ftp://host/acct", "'ftp://host/acct' is not an http(s) URI")]
    public void A_bad_connection_string_is_named_without_printing_the_key(string connection, string expected)
    {
        var problem = Assert.Single(new TableStorageOptions { TablesConnection = connection.Replace("{key}", AzuriteFixture.AccountKey, StringComparison.Ordinal) }.Validate());

        Assert.Contains("Storage:TablesConnection is not a valid connection string", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, problem, StringComparison.Ordinal);
    }

    private TableSnapshotStore Store(HttpPipelinePolicy? observer = null)
    {
        var options = TableSnapshotStore.ClientOptions();
        if (observer is not null)
        {
            options.AddPolicy(observer, HttpPipelinePosition.PerRetry);
        }

        return TableSnapshotStore.Create(storage, "counters", options);
    }

    /// <summary>A query of the table's rows (GET {table}()), as the store reads stored versions and pages.</summary>
    private static bool IsQuery(string path) => path.EndsWith("()", StringComparison.Ordinal);

    private TableClient Client() => new(azurite.ConnectionString, storage.TableName);

    private static SnapshotBatch Batch(long version, params (string Tenant, string Name, long Value)[] rows) =>
        new(version, At, rows.Select(row => new SnapshotRow(CounterKey.Create(row.Tenant, row.Name), row.Value, version, At)).ToList());

    /// <summary>Records the path of every attempt the SDK's pipeline sends, so that transactions and retries can be counted.</summary>
    private sealed class RequestRecorder : HttpPipelineSynchronousPolicy
    {
        private readonly List<string> paths = [];

        public IReadOnlyList<string> Paths
        {
            get
            {
                lock (paths)
                {
                    return [.. paths];
                }
            }
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            lock (paths)
            {
                paths.Add(message.Request.Uri.Path);
            }
        }
    }
}
