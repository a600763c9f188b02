using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace Counter.Storage.Tables;

/// <summary>Clients of tables in the account validated <see cref="TableStorageOptions"/> describe, made the same way for every store.</summary>
internal static class TableClients
{
    /// <summary>
    /// A client per name in <paramref name="tableNames"/>: an endpoint URI is authorized with DefaultAzureCredential (one
    /// credential for all, so that its tokens are fetched once), a connection string with its account key.
    /// </summary>
    public static TableClient[] Create(TableStorageOptions storage, TableClientOptions clientOptions, params string[] tableNames)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var setting = storage.TablesConnection ?? throw new ArgumentException($"{TableStorageOptions.SectionName}:TablesConnection is not set.", nameof(storage));
        if (storage.TablesEndpoint is { } endpoint)
        {
            TokenCredential credential = new DefaultAzureCredential();
            return [.. tableNames.Select(name => new TableClient(endpoint, name, credential, clientOptions))];
        }

        return [.. tableNames.Select(name => new TableClient(setting, name, clientOptions))];
    }
}
