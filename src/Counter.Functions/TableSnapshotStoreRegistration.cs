using Azure.Identity;
using Counter.Core;
using Counter.Storage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Functions;

/// <summary>The read path of the Functions host: the Table snapshot store, keyed or identity-based as the settings say.</summary>
internal static class TableSnapshotStoreRegistration
{
    public static IServiceCollection AddTableSnapshotStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TableSnapshotSettings>()
            .Bind(configuration.GetSection(TableSnapshotSettings.SectionName))
            .Validate(static settings => !string.IsNullOrWhiteSpace(settings.Connection), $"{TableSnapshotSettings.SectionName}:Connection must be a connection string or a Table endpoint URI.")
            .Validate(static settings => !string.IsNullOrWhiteSpace(settings.TableName), $"{TableSnapshotSettings.SectionName}:TableName must not be empty.")
            .ValidateOnStart();
        services.AddSingleton<ISnapshotStore>(static provider =>
        {
            var settings = provider.GetRequiredService<IOptions<TableSnapshotSettings>>().Value;
            var client = new TableClient(ConnectionOf(settings), settings.TableName, new TableClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() });
            return new TableSnapshotStore(client, provider.GetRequiredService<IOptionsMonitor<CounterOptions>>());
        });
        return services;
    }

    private static TableConnection ConnectionOf(TableSnapshotSettings settings) =>
        TableConnection.IsEndpoint(settings.Connection)
            ? TableConnection.FromCredential(
                new Uri(settings.Connection),
                new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ClientId }))
            : TableConnection.Parse(settings.Connection);
}
