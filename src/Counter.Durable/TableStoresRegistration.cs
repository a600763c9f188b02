using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Counter.Storage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Durable;

/// <summary>
/// The stores of the Durable hosts: always Table Storage, from <c>Storage__TablesConnection</c> (a connection string,
/// or the table endpoint, authorized with DefaultAzureCredential: the app's managed identity, <c>AZURE_CLIENT_ID</c> for
/// a user-assigned one) and <c>Storage__TableName</c>, which names the snapshot table (the read path) and, with a suffix,
/// the tenant store's two tables; the tenant store is also the strict counter and idempotency store.
/// </summary>
internal static class TableStoresRegistration
{
    public static IServiceCollection AddTableStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TableStorageOptions>().Bind(configuration.GetSection(TableStorageOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddSingleton<ISnapshotStore>(static provider => TableSnapshotStore.Create(
            provider.GetRequiredService<IOptions<TableStorageOptions>>().Value,
            provider.GetRequiredService<IOptions<CounterOptions>>().Value.KeyPrefix));
        services.AddSingleton(static provider => TableTenantStore.Create(
            provider.GetRequiredService<IOptions<TableStorageOptions>>().Value,
            provider.GetRequiredService<IOptions<CounterOptions>>().Value.KeyPrefix,
            time: provider.GetService<TimeProvider>()));
        // One instance behind the three ports, so that they share its clients and its knowledge that the tables exist.
        services.AddSingleton<ITenantStore>(static provider => provider.GetRequiredService<TableTenantStore>());
        services.AddSingleton<IStrictCounterStore>(static provider => provider.GetRequiredService<TableTenantStore>());
        services.AddSingleton<IIdempotencyStore>(static provider => provider.GetRequiredService<TableTenantStore>());
        return services;
    }
}
