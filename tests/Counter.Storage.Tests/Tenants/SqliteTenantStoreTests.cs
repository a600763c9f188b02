using Counter.Core;
using Counter.Testing;
using Microsoft.Data.Sqlite;

namespace Counter.Storage.Tests.Tenants;

public sealed class SqliteTenantStoreTests : TenantStoreContract<SqliteTenantStore>, IDisposable
{
    private readonly TempDirectory folder = new();

    [Fact]
    public async Task Tenants_keys_and_counters_survive_reopening_the_file()
    {
        var counter = CounterKey.Create("acme", "orders");
        var store = Store();
        await store.TryCreateTenantAsync(Tenant("acme"), Key("acme", "k1", "hash1"), CancellationToken.None);
        await store.TryAddKeyAsync(Key("acme", "k2", "hash2"), CancellationToken.None);
        await store.TryCreateCounterAsync(new CounterRecord(counter, 42, At), CancellationToken.None);
        // The pooled connections go, so the new instance reads what is in the file.
        SqliteConnection.ClearAllPools();

        var reopened = Store();

        Assert.Equal(Tenant("acme"), await reopened.ReadTenantAsync("acme", CancellationToken.None));
        Assert.Equal([Key("acme", "k1", "hash1"), Key("acme", "k2", "hash2")], (await reopened.ReadDirectoryAsync(CancellationToken.None)).Keys);
        Assert.Equal(new CounterRecord(counter, 42, At), await reopened.ReadCounterAsync(counter, CancellationToken.None));
        Assert.Equal(SqliteTenantStore.FilePageSize, PageSizeOf(folder.File("tenants.db")));
    }

    [Fact]
    public async Task A_file_from_before_counter_modes_gains_them_and_its_counters_read_as_sharded()
    {
        var path = folder.File("tenants.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE tenant_counter (
                    tenant TEXT NOT NULL,
                    name TEXT NOT NULL,
                    initial_value INTEGER NOT NULL,
                    created_at_ticks INTEGER NOT NULL,
                    PRIMARY KEY (tenant, name)) WITHOUT ROWID;
                INSERT INTO tenant_counter VALUES ('acme', 'old', 7, 0);
                """;
            command.ExecuteNonQuery();
        }

        var store = Store();
        var strict = CounterKey.Create("acme", "new");
        Assert.True(await store.TryCreateCounterAsync(new CounterRecord(strict, 1, At, CounterMode.Strict), CancellationToken.None));
        SqliteConnection.ClearAllPools();

        Assert.Equal(new CounterRecord(CounterKey.Create("acme", "old"), 7, DateTimeOffset.MinValue), await Store().ReadCounterAsync(CounterKey.Create("acme", "old"), CancellationToken.None));
        Assert.Equal(CounterMode.Strict, (await Store().ReadCounterAsync(strict, CancellationToken.None))!.Mode);
        // A file created before keeps its pages: SQLite changes a page size only by rewriting the whole file.
        Assert.Equal(4096, PageSizeOf(path));
    }

    private static long PageSizeOf(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Saving_a_record_purges_expired_ones_a_few_at_a_time()
    {
        var store = Store();
        for (var index = 0; index < SqliteTenantStore.PurgeBatch + 1; index++)
        {
            await store.TrySaveIdempotencyAsync(Record("acme", $"old-{index}", "old", At.AddMinutes(1)), At, CancellationToken.None);
        }

        await store.TrySaveIdempotencyAsync(Record("other", "new-1", "new", At.AddHours(2)), At.AddHours(1), CancellationToken.None);
        Assert.Equal(2, IdempotencyRows());
        await store.TrySaveIdempotencyAsync(Record("other", "new-2", "new", At.AddHours(2)), At.AddHours(1), CancellationToken.None);
        Assert.Equal(2, IdempotencyRows());
    }

    [Fact]
    public async Task A_strict_batch_on_a_locked_file_is_unavailable_and_the_writer_works_again_once_it_is_free()
    {
        await Strict(("a", 1));
        using var store = Store();
        Assert.Equal(2, (await Apply(store, Op(OperationKind.Inc, "a", 1))).Outcome!.Results[0].Value);

        using (var other = new SqliteConnection($"Data Source={folder.File("tenants.db")};Pooling=False"))
        {
            other.Open();
            using var locking = other.CreateCommand();
            locking.CommandText = "BEGIN IMMEDIATE";
            locking.ExecuteNonQuery();

            // The writer first waits out the connection's busy timeout (30 s): that is what this test spends its time on.
            await Assert.ThrowsAsync<TenantStoreUnavailableException>(() => Apply(store, Op(OperationKind.Inc, "a", 1)));
        }

        Assert.Equal(3, (await Apply(store, Op(OperationKind.Inc, "a", 1))).Outcome!.Results[0].Value);
        Assert.Equal(3, (await Store().ReadStrictAsync(Counter("a"), CancellationToken.None))!.Value);
    }

    public void Dispose() => folder.Dispose();

    private static Task<StrictApplied> Apply(SqliteTenantStore store, params CounterOperation[] operations) =>
        store.ApplyStrictAsync("acme", operations, null, CancellationToken.None);

    private long IdempotencyRows()
    {
        using var connection = new SqliteConnection($"Data Source={folder.File("tenants.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM idempotency";
        return (long)command.ExecuteScalar()!;
    }

    protected override SqliteTenantStore Store() => new SqliteTenantStore(folder.File("tenants.db"), SqliteSynchronous.Full, Clock);
}
