using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Microsoft.Extensions.Options;

namespace Counter.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StorageOptions"/> (on start) and registers the SQLite entity store, the SQLite
    /// snapshot store (the read path) behind the read cache (<see cref="ReadCacheServiceCollectionExtensions.AddReadCache"/>),
    /// through which the runtime's snapshot writes also go, and the SQLite tenant store, each in a file of its own; the
    /// tenant store is also the strict counter and idempotency store. Table Storage is not offered here: its SDK does not
    /// support Native AOT.
    /// </summary>
    public static IServiceCollection AddCounterStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return SqliteEntityStore.Open(storage.EntitiesPath, storage.Synchronous);
        });
        services.AddSingleton<ISnapshotStore>(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new SqliteSnapshotStore(storage.SnapshotsPath, storage.Synchronous);
        });
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new SqliteTenantStore(storage.TenantsPath, storage.Synchronous, provider.GetService<TimeProvider>());
        });
        // One instance behind the three ports: its group commit queues every strict batch of the process.
        services.AddSingleton<ITenantStore>(static provider => provider.GetRequiredService<SqliteTenantStore>());
        services.AddSingleton<IStrictCounterStore>(static provider => provider.GetRequiredService<SqliteTenantStore>());
        services.AddSingleton<IIdempotencyStore>(static provider => provider.GetRequiredService<SqliteTenantStore>());
        services.AddReadCache(configuration);
        return services;
    }
}
