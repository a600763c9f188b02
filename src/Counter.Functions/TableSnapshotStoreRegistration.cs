using Counter.Core;
using Counter.Storage;
using Counter.Storage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Functions;

/// <summary>
/// The read path of the Functions host: always Table Storage, from <c>Storage__TablesConnection</c> (a connection string,
/// or the table endpoint, authorized with DefaultAzureCredential: the app's managed identity, <c>AZURE_CLIENT_ID</c> for
/// a user-assigned one) and <c>Storage__TableName</c>.
/// </summary>
internal static class TableSnapshotStoreRegistration
{
    public static IServiceCollection AddTableSnapshotStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TableStorageOptions>().Bind(configuration.GetSection(TableStorageOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TableStorageOptions>, TableStorageOptionsValidation>();
        services.AddSingleton<ISnapshotStore>(static provider => TableSnapshotStore.Create(
            provider.GetRequiredService<IOptions<TableStorageOptions>>().Value,
            provider.GetRequiredService<IOptions<CounterOptions>>().Value.KeyPrefix,
            new TableClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() }));
        return services;
    }

    /// <summary>Refuses to start without a usable table, naming each wrong setting.</summary>
    private sealed class TableStorageOptionsValidation : IValidateOptions<TableStorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, TableStorageOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
