using Azure.Core;
using Azure.Core.Pipeline;
using Counter.Storage.Tables;
using Counter.Testing.Azurite;

namespace Counter.Storage.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly AttemptCounter attempts = new();

    [Fact]
    public async Task Upserted_entity_reads_back_with_its_typed_properties()
    {
        var table = await NewTableAsync();
        var etag = await table.UpsertMergeAsync(Entity("p", "r", long.MaxValue), CancellationToken.None);

        var read = await table.GetAsync("p", "r", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(long.MaxValue, read.Get<long>("Value"));
        Assert.Equal(At, read.Get<DateTimeOffset>("UpdatedAt"));
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task Upsert_merges_into_the_existing_entity()
    {
        var table = await NewTableAsync();
        await table.UpsertMergeAsync(Entity("p", "r", 1), CancellationToken.None);
        await table.UpsertMergeAsync(new TableEntity("p", "r", new Dictionary<string, object> { ["Note"] = "merged" }), CancellationToken.None);

        var read = await table.GetAsync("p", "r", CancellationToken.None);

        Assert.Equal(1L, read!.Get<long>("Value"));
        Assert.Equal("merged", read.Get<string>("Note"));
    }

    [Fact]
    public async Task Creating_an_existing_table_again_is_harmless()
    {
        var table = await NewTableAsync();
        await table.CreateIfNotExistsAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Reading_an_absent_entity_gives_null()
    {
        var table = await NewTableAsync();
        Assert.Null(await table.GetAsync("p", "nobody", CancellationToken.None));
    }

    [Fact]
    public async Task Reading_from_a_missing_table_is_a_TableNotFound_error_naming_table_key_and_status()
    {
        var table = Client("missing" + Suffix());

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.GetAsync("p", "r", CancellationToken.None));

        Assert.Equal(TableErrorKind.TableNotFound, error.Kind);
        Assert.Equal(404, error.Status);
        Assert.Contains(table.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("'p'", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task Inserting_an_existing_entity_is_a_Conflict_that_is_not_retried()
    {
        var table = await NewTableAsync();
        await table.InsertAsync(Entity("p", "r", 1), CancellationToken.None);
        attempts.Reset();

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.InsertAsync(Entity("p", "r", 2), CancellationToken.None));

        Assert.Equal(TableErrorKind.Conflict, error.Kind);
        Assert.Equal(409, error.Status);
        Assert.Contains("RowKey 'r'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task Replacing_with_a_stale_etag_is_a_PreconditionFailed_error_and_changes_nothing()
    {
        var table = await NewTableAsync();
        var first = await table.InsertAsync(Entity("p", "r", 1), CancellationToken.None);
        var second = await table.ReplaceAsync(Entity("p", "r", 2), first, CancellationToken.None);

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.ReplaceAsync(Entity("p", "r", 3), first, CancellationToken.None));

        Assert.Equal(TableErrorKind.PreconditionFailed, error.Kind);
        Assert.Equal(412, error.Status);
        Assert.Contains("RowKey 'r'", error.Message, StringComparison.Ordinal);
        var read = await table.GetAsync("p", "r", CancellationToken.None);
        Assert.Equal(2L, read!.Get<long>("Value"));
        Assert.Equal(second, read.ETag);
    }

    [Fact]
    public async Task A_wrong_account_key_is_a_clear_403_that_is_not_retried()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var table = Client("t" + Suffix(), azurite.ConnectionStringWithKey(wrongKey));

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.UpsertMergeAsync(Entity("p", "r", 1), CancellationToken.None));

        Assert.Equal(TableErrorKind.AuthorizationFailed, error.Kind);
        Assert.Equal(403, error.Status);
        Assert.Contains(table.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task An_unreachable_service_is_retried_then_an_Unavailable_error()
    {
        var nobodyListens = $"DefaultEndpointsProtocol=http;AccountName=a;AccountKey={AzuriteFixture.AccountKey};TableEndpoint=http://127.0.0.1:1/a";
        var table = Client("t" + Suffix(), nobodyListens);

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.GetAsync("p", "r", CancellationToken.None));

        Assert.Equal(TableErrorKind.Unavailable, error.Kind);
        Assert.Equal(0, error.Status);
        Assert.Contains(table.Name, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, attempts.Count);
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("''")]
    [InlineData("Zähler-計数器-🙂")]
    [InlineData("a+b:c@d~e.f_g")]
    public async Task Keys_with_quotes_unicode_and_punctuation_round_trip(string key)
    {
        var table = await NewTableAsync();
        await table.UpsertMergeAsync(Entity(key, key, 7), CancellationToken.None);

        var read = await table.GetAsync(key, key, CancellationToken.None);
        var queried = await table.QueryAsync(TableFilter.RowKeyRange(key, key, key), null, 10, null, CancellationToken.None);

        Assert.Equal(7L, read!.Get<long>("Value"));
        Assert.Equal(key, Assert.Single(queried.Entities).RowKey);
    }

    [Fact]
    public async Task Keys_of_the_maximum_length_round_trip()
    {
        var table = await NewTableAsync();
        var partitionKey = "counters~" + new string('t', 64);
        var rowKey = string.Concat(Enumerable.Repeat("é", 256));
        await table.UpsertMergeAsync(Entity(partitionKey, rowKey, 9), CancellationToken.None);

        Assert.Equal(9L, (await table.GetAsync(partitionKey, rowKey, CancellationToken.None))!.Get<long>("Value"));
    }

    [Fact]
    public async Task A_key_longer_than_Table_Storage_allows_is_an_InvalidInput_error()
    {
        var table = await NewTableAsync();

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.UpsertMergeAsync(Entity("p", new string('k', 1025), 1), CancellationToken.None));

        Assert.Equal(TableErrorKind.InvalidInput, error.Kind);
        Assert.Equal(400, error.Status);
        Assert.Contains(table.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twenty_five_hundred_entities_of_one_partition_read_back_through_continuation()
    {
        var table = await NewTableAsync();
        var names = Enumerable.Range(0, 2500).Select(i => $"c{i:D5}").ToList();
        foreach (var chunk in names.Chunk(TableClient.MaxTransactionSize))
        {
            await table.SubmitTransactionAsync(chunk.Select(name => new TableAction(TableActionKind.Insert, Entity("p", name, 1))).ToList(), CancellationToken.None);
        }

        var read = new List<string>();
        var pages = 0;
        TableContinuation? continuation = null;
        do
        {
            var page = await table.QueryAsync(TableFilter.PartitionEquals("p"), ["RowKey"], TableClient.MaxPageSize, continuation, CancellationToken.None);
            read.AddRange(page.Entities.Select(entity => entity.RowKey));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(names, read);
        Assert.True(pages >= 3, $"2,500 entities came in {pages} pages of at most 1,000");
    }

    [Fact]
    public async Task A_transaction_applies_inserts_and_conditional_replaces_together()
    {
        var table = await NewTableAsync();
        var etag = await table.InsertAsync(Entity("p", "a", 1), CancellationToken.None);

        var etags = await table.SubmitTransactionAsync(
            [new TableAction(TableActionKind.Replace, Entity("p", "a", 2), etag), new TableAction(TableActionKind.Insert, Entity("p", "b", 3)), new TableAction(TableActionKind.UpsertMerge, Entity("p", "c", 4))],
            CancellationToken.None);

        Assert.Equal(3, etags.Count);
        Assert.Equal(2L, (await table.GetAsync("p", "a", CancellationToken.None))!.Get<long>("Value"));
        Assert.Equal(etags[1], (await table.GetAsync("p", "b", CancellationToken.None))!.ETag);
        Assert.Equal(4L, (await table.GetAsync("p", "c", CancellationToken.None))!.Get<long>("Value"));
    }

    [Fact]
    public async Task A_failing_transaction_applies_nothing_and_names_the_failing_entity()
    {
        var table = await NewTableAsync();
        var stale = await table.InsertAsync(Entity("p", "a", 1), CancellationToken.None);
        await table.ReplaceAsync(Entity("p", "a", 2), stale, CancellationToken.None);

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.SubmitTransactionAsync(
            [new TableAction(TableActionKind.Insert, Entity("p", "new", 1)), new TableAction(TableActionKind.Replace, Entity("p", "a", 3), stale)],
            CancellationToken.None));

        Assert.Equal(TableErrorKind.PreconditionFailed, error.Kind);
        Assert.Equal("a", error.RowKey);
        Assert.Null(await table.GetAsync("p", "new", CancellationToken.None));
        Assert.Equal(2L, (await table.GetAsync("p", "a", CancellationToken.None))!.Get<long>("Value"));
    }

    private async Task<TableClient> NewTableAsync()
    {
        var table = Client("t" + Suffix());
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        attempts.Reset();
        return table;
    }

    private TableClient Client(string name, string? connectionString = null)
    {
        var options = new TableClientOptions { Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) } };
        options.AddPolicy(attempts, HttpPipelinePosition.PerRetry);
        return new TableClient(TableConnection.Parse(connectionString ?? azurite.ConnectionString), name, options);
    }

    private static string Suffix() => Guid.NewGuid().ToString("N");

    private static TableEntity Entity(string partitionKey, string rowKey, long value) =>
        new(partitionKey, rowKey, new Dictionary<string, object> { ["Value"] = value, ["UpdatedAt"] = At });

    /// <summary>Counts the attempts the pipeline makes, so retries of transient faults (and no others) can be seen.</summary>
    private sealed class AttemptCounter : HttpPipelineSynchronousPolicy
    {
        private int count;

        public int Count => count;

        public void Reset() => count = 0;

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
    }
}
