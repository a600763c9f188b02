using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Counter.Core;
using Counter.Storage.Tables;
using Counter.Storage.Tests.Tenants;
using Counter.Testing.Azurite;

namespace Counter.Storage.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableTenantStoreTests(AzuriteFixture azurite) : TenantStoreContract<TableTenantStore>
{
    private readonly TableStorageOptions storage = new() { TablesConnection = azurite.ConnectionString, TableName = "t" + Guid.NewGuid().ToString("N") };

    /// <summary>Every lost race costs a read and a transaction against one Azurite process, so fewer than SQLite's.</summary>
    protected override int Writers => 16;

    protected override int IncrementsPerWriter => 50;

    [Fact]
    public async Task Tenants_and_keys_share_a_partition_of_the_tenants_table_and_counters_have_their_own_table()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "hash1"), CancellationToken.None);
        await store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme", "orders"), 5, At), CancellationToken.None);

        var rows = await Rows(storage.TenantsTableName);
        var counters = await Rows(storage.TenantCountersTableName);

        Assert.Equal([("counters~acme", "key~k1"), ("counters~acme", "tenant")], rows.Select(row => (row.PartitionKey, row.RowKey)));
        Assert.Equal("hash1", rows[0].GetString("KeyHash"));
        Assert.Equal(At, rows[1].GetDateTimeOffset("CreatedAt"));
        var counter = Assert.Single(counters);
        Assert.Equal(("counters~acme", "orders"), (counter.PartitionKey, counter.RowKey));
        Assert.Equal(5L, Assert.IsType<long>(counter["InitialValue"]));
    }

    [Fact]
    public async Task An_idempotency_record_is_a_row_of_its_scopes_counters_partition_under_the_hash_of_its_key()
    {
        await Store().TrySaveIdempotencyAsync(Record("acme", "a/b#c", "first", At.AddHours(1)), At, CancellationToken.None);

        var row = Assert.Single(await Rows(storage.TenantCountersTableName));

        Assert.Equal("counters~acme", row.PartitionKey);
        Assert.Equal("!idem!" + Convert.ToHexStringLower(SHA256.HashData("a/b#c"u8)), row.RowKey);
        Assert.Equal(200, row.GetInt32("Status"));
        Assert.Equal(At.AddHours(1), row.GetDateTimeOffset("ExpiresAt"));
        Assert.DoesNotContain(row, property => property.Value is string text && text.Contains("a/b#c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_so_many_saves_sweep_the_expired_records_of_their_partition()
    {
        // Saves 1 to SweepEvery - 1 of this instance: an expired record of another partition, expired ones of acme and a
        // live one; the next save sweeps acme's partition.
        var store = Store();
        await store.TrySaveIdempotencyAsync(Record("other", "old", "old", At.AddMinutes(1)), At, CancellationToken.None);
        for (var index = 2; index < TableTenantStore.SweepEvery - 1; index++)
        {
            await store.TrySaveIdempotencyAsync(Record("acme", $"old-{index}", "old", At.AddMinutes(1)), At, CancellationToken.None);
        }

        await store.TrySaveIdempotencyAsync(Record("acme", "live", "live", At.AddHours(2)), At, CancellationToken.None);
        Assert.Equal(TableTenantStore.SweepEvery - 1, (await Rows(storage.TenantCountersTableName)).Count);

        await store.TrySaveIdempotencyAsync(Record("acme", "new", "new", At.AddHours(2)), At.AddHours(1), CancellationToken.None);

        Assert.Equal([("counters~acme", 2), ("counters~other", 1)], (await Rows(storage.TenantCountersTableName)).CountBy(row => row.PartitionKey).Select(pair => (pair.Key, pair.Value)));
    }

    [Fact]
    public async Task A_strict_counter_keeps_its_value_in_its_row_and_a_claim_is_a_row_beside_it()
    {
        await Strict(("stock", 5));

        await Apply(Claim("retry-1", At, At.AddHours(1)), Op(OperationKind.Inc, "stock", 2));

        var rows = await Rows(storage.TenantCountersTableName);
        Assert.Equal(["!idem!" + Convert.ToHexStringLower(SHA256.HashData("retry-1"u8)), "stock"], rows.Select(row => row.RowKey));
        Assert.All(rows, row => Assert.Equal("counters~acme", row.PartitionKey));
        Assert.Equal(("Strict", 7L, 5L, ChangedAt), (rows[1].GetString("Mode"), rows[1].GetInt64("Value")!.Value, rows[1].GetInt64("InitialValue")!.Value, rows[1].GetDateTimeOffset("UpdatedAt")!.Value));
    }

    [Fact]
    public async Task A_counter_only_read_by_a_batch_and_changed_before_its_transaction_makes_the_batch_start_over()
    {
        await Strict(("a", 0), ("b", 1));
        var other = Store();
        // Just before the batch's transaction, another process adds 10 to the counter the batch only reads.
        var interloper = new BeforeFirstTransaction(() => other.ApplyStrictAsync("acme", [Op(OperationKind.Inc, "b", 10)], null, CancellationToken.None).GetAwaiter().GetResult());
        var options = TableSnapshotStore.ClientOptions();
        options.AddPolicy(interloper, HttpPipelinePosition.PerCall);

        var applied = await TableTenantStore.Create(storage, "counters", options, Clock).ApplyStrictAsync("acme", [Op(OperationKind.Get, "b"), Op(OperationKind.Inc, "a", 1)], null, CancellationToken.None);

        Assert.Equal([new OperationResult(OperationKind.Get, "b", 11, 11, true), new OperationResult(OperationKind.Inc, "a", 1, 0, true)], applied.Outcome!.Results);
    }

    [Fact]
    public async Task Stores_with_other_key_prefixes_on_the_same_tables_never_see_each_others_tenants()
    {
        var mine = Store();
        var longer = TableTenantStore.Create(storage, "counters2");
        var shorter = TableTenantStore.Create(storage, "counter");
        await mine.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k", "h"), CancellationToken.None);
        await longer.TryCreateTenantAsync(Tenant("other"), Key("other", "k", "h"), CancellationToken.None);
        await shorter.TryCreateTenantAsync(Tenant("third"), Key("third", "k", "h"), CancellationToken.None);

        Assert.Equal(["acme"], (await mine.ListTenantsAsync(null, 10, CancellationToken.None)).Tenants.Select(tenant => tenant.Tenant));
        Assert.Equal(["acme"], (await mine.ReadDirectoryAsync(CancellationToken.None)).Keys.Select(key => key.Tenant));
        Assert.Equal(["other"], (await longer.ReadDirectoryAsync(CancellationToken.None)).Tenants.Select(tenant => tenant.Tenant));
        Assert.Equal(["third"], (await shorter.ListTenantsAsync(null, 10, CancellationToken.None)).Tenants.Select(tenant => tenant.Tenant));
        Assert.Null(await mine.ReadTenantAsync("other", CancellationToken.None));
    }

    [Fact]
    public async Task A_key_added_while_its_tenant_is_deleted_goes_with_it_instead_of_outliving_it()
    {
        await Store().TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None);
        var other = Store();
        var added = false;
        // Just before the deletion's first transaction (keys and tenant: there are no counters), another process adds a key.
        var interloper = new BeforeFirstTransaction(() => added = other.TryAddKeyAsync(Key("acme", "k2", "h"), CancellationToken.None).GetAwaiter().GetResult());
        var options = TableSnapshotStore.ClientOptions();
        options.AddPolicy(interloper, HttpPipelinePosition.PerCall);

        Assert.True(await TableTenantStore.Create(storage, "counters", options).DeleteTenantAsync("acme", CancellationToken.None));

        Assert.True(added);
        Assert.Empty(await Rows(storage.TenantsTableName));
        Assert.True(await Store().TryCreateTenantAsync(Tenant("acme"), Key("acme", "new", "h"), CancellationToken.None));
        Assert.Equal(["new"], (await Store().ReadDirectoryAsync(CancellationToken.None)).Keys.Select(key => key.KeyId));
    }

    [Fact]
    public async Task Tables_deleted_under_the_store_are_created_again()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None);

        await Client(storage.TenantsTableName).DeleteAsync();
        await Client(storage.TenantCountersTableName).DeleteAsync();

        Assert.True(await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None));
        await Client(storage.TenantCountersTableName).DeleteAsync();
        Assert.True(await store.TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme", "a"), 1, At), CancellationToken.None));
        await Client(storage.TenantsTableName).DeleteAsync();
        Assert.False(await store.TryAddKeyAsync(Key("acme", "k2", "h"), CancellationToken.None));
        Assert.Empty((await store.ReadDirectoryAsync(CancellationToken.None)).Tenants);
    }

    [Fact]
    public async Task While_Azurite_is_down_every_call_fails_as_unavailable_and_works_again_once_it_is_back()
    {
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "h"), CancellationToken.None);
        azurite.Stop();
        try
        {
            var read = await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.ReadTenantAsync("acme", CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.ReadDirectoryAsync(CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.TryAddKeyAsync(Key("acme", "k2", "h"), CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.DeleteTenantAsync("acme", CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => Store().TryCreateCounterAsync(new CounterRecord(CounterKey.Create("acme", "a"), 1, At), CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.ReadStrictAsync(CounterKey.Create("acme", "a"), CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.ApplyStrictAsync("acme", [Op(OperationKind.Inc, "a", 1)], null, CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.ReadIdempotencyAsync("acme", "k", At, CancellationToken.None));
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => store.TrySaveIdempotencyAsync(Record("acme", "k", "b", At.AddHours(1)), At, CancellationToken.None));

            Assert.Contains($"table '{storage.TenantsTableName}', PartitionKey 'counters~acme', RowKey 'tenant': no answer", read.Message, StringComparison.Ordinal);
        }
        finally
        {
            azurite.Start();
        }

        Assert.True(await store.TryAddKeyAsync(Key("acme", "k2", "h"), CancellationToken.None));
    }

    [Theory]
    [InlineData(TableStorageOptions.MaxTableNameLength, true)]
    [InlineData(TableStorageOptions.MaxTableNameLength + 1, false)]
    public void The_table_name_leaves_room_for_the_tenant_tables_suffixes(int length, bool valid)
    {
        var options = new TableStorageOptions { TablesConnection = azurite.ConnectionString, TableName = "c" + new string('x', length - 1) };

        Assert.Equal(valid, options.Validate().Count == 0);
        Assert.Equal(63, TableStorageOptions.MaxTableNameLength + TableStorageOptions.TenantCountersTableSuffix.Length);
        Assert.Equal(options.TableName + "Tenants", options.TenantsTableName);
        Assert.Equal(options.TableName + "TenantCounters", options.TenantCountersTableName);
        if (!valid)
        {
            Assert.Contains("Storage:TableName must be 3 to 49", Assert.Single(options.Validate()), StringComparison.Ordinal);
        }
    }

    protected override TableTenantStore Store() => TableTenantStore.Create(storage, "counters", time: Clock);

    private TableClient Client(string table) => new(azurite.ConnectionString, table);

    /// <summary>Runs an action once, just before the first entity group transaction the client sends.</summary>
    private sealed class BeforeFirstTransaction(Action action) : HttpPipelineSynchronousPolicy
    {
        private int done;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref done, 1) == 0)
            {
                action();
            }
        }
    }

    private async Task<List<TableEntity>> Rows(string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Client(table).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }
}
