using Azure.Identity;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;

namespace Counter.DurableHost.TaskHub;

/// <summary>The task hub's storage account, from <see cref="DurableOptions.StorageConnection"/>.</summary>
internal static class StorageConnections
{
    /// <summary>Why <paramref name="connectionString"/> cannot be used, in the SDK's words, or null when it parses.</summary>
    public static string? ProblemWith(string connectionString)
    {
        try
        {
            _ = new QueueServiceClient(connectionString);
            return null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            return exception.Message;
        }
    }

    public static StorageAccountClientProvider ClientProviderFor(DurableOptions options) =>
        options.IsAccountName
            ? new StorageAccountClientProvider(options.StorageConnection, new DefaultAzureCredential())
            : new StorageAccountClientProvider(options.StorageConnection);

    /// <summary>The read path's default: the task hub's own account, its table endpoint when only the account is named.</summary>
    public static string TablesConnectionFor(DurableOptions options) =>
        options.IsAccountName ? $"https://{options.StorageConnection}.table.core.windows.net" : options.StorageConnection;
}
