using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Counter.Storage.Tables;
using Microsoft.Extensions.Options;

namespace Counter.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="StorageOptions"/> (on start) and registers the SQLite entity store.</summary>
    public static IServiceCollection AddCounterStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return SqliteEntityStore.Open(storage.EntitiesPath, storage.Synchronous);
        });
        return services;
    }

    /// <summary>Registers the <see cref="ISnapshotStore"/> that <c>Storage:Snapshots</c> selects (<c>Sqlite</c> by default).</summary>
    public static IServiceCollection AddSnapshotStore(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.Snapshots ?? SnapshotStoreKind.Sqlite;
        switch (kind)
        {
            case SnapshotStoreKind.Sqlite:
                services.AddSingleton<ISnapshotStore>(provider =>
                {
                    var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                    return new SqliteSnapshotStore(storage.SnapshotsPath, storage.Synchronous);
                });
                break;
            case SnapshotStoreKind.Tables:
                services.AddOptions<TableStorageOptions>().Bind(configuration.GetSection(TableStorageOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
                services.AddSingleton<ISnapshotStore>(provider => TableSnapshotStore.Create(
                    provider.GetRequiredService<IOptions<TableStorageOptions>>().Value,
                    provider.GetRequiredService<IOptions<CounterOptions>>().Value.KeyPrefix,
                    new TableClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() }));
                break;
            default:
                throw new InvalidOperationException($"{StorageOptions.SectionName}:{nameof(StorageOptions.Snapshots)} '{kind}' is not a snapshot store this host knows.");
        }

        return services;
    }
}
