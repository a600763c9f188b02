using Counter.Core;
using Counter.Testing;
using Microsoft.Data.Sqlite;

namespace Counter.Storage.Tests.Tenants;

public sealed class SqliteTenantStoreTests : TenantStoreContract, IDisposable
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
    }

    public void Dispose() => folder.Dispose();

    protected override ITenantStore Store() => new SqliteTenantStore(folder.File("tenants.db"), SqliteSynchronous.Full);
}
