using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Durable.Tests;

public sealed class StoreRegistrationTests
{
    [Fact]
    public void The_Durable_hosts_keep_snapshots_tenants_strict_counters_and_idempotency_records_in_Table_Storage_one_store_of_each_per_process()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:TablesConnection"] = "UseDevelopmentStorage=true" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddDurableCounters(configuration).BuildServiceProvider();

        // The snapshot store is the Table store behind the read cache.
        Assert.IsType<CachedSnapshotStore>(services.GetRequiredService<ISnapshotStore>());
        Assert.IsType<TableTenantStore>(services.GetRequiredService<ITenantStore>());
        Assert.Same(services.GetRequiredService<ITenantStore>(), services.GetRequiredService<ITenantStore>());
        Assert.Same(services.GetRequiredService<ITenantStore>(), services.GetRequiredService<IStrictCounterStore>());
        Assert.Same(services.GetRequiredService<ITenantStore>(), services.GetRequiredService<IIdempotencyStore>());
    }
}
