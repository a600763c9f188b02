using System.Data.Common;
using Azure.Core;

namespace Counter.Storage.Tables;

/// <summary>
/// Where a Table service is and how to authorize against it: an account key (Shared Key) or a token credential
/// (managed identity in Azure). Never prints the key.
/// </summary>
public sealed class TableConnection
{
    /// <summary>Azurite's well-known development account, as documented for the storage emulator.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private TableConnection(Uri endpoint, string? accountName, byte[]? accountKey, TokenCredential? credential)
    {
        Endpoint = endpoint;
        AccountName = accountName;
        AccountKey = accountKey;
        Credential = credential;
    }

    /// <summary>The Table service endpoint, e.g. <c>https://account.table.core.windows.net</c> or <c>http://127.0.0.1:10002/devstoreaccount1</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The account whose key signs requests; null when a token credential authorizes them.</summary>
    public string? AccountName { get; }

    internal byte[]? AccountKey { get; }

    internal TokenCredential? Credential { get; }

    /// <summary>
    /// Parses <c>UseDevelopmentStorage=true</c> or <c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…[;TableEndpoint=…][;EndpointSuffix=…]</c>.
    /// Throws <see cref="FormatException"/> naming what is missing or wrong.
    /// </summary>
    public static TableConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (IsTrue(parts, "UseDevelopmentStorage"))
        {
            return WithKey(new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"), DevelopmentAccountName, DevelopmentAccountKey);
        }

        var accountName = Value(parts, "AccountName")
            ?? throw new FormatException("The Table Storage connection string has no AccountName.");
        var accountKey = Value(parts, "AccountKey")
            ?? throw new FormatException($"The Table Storage connection string for account '{accountName}' has no AccountKey.");
        var endpoint = Value(parts, "TableEndpoint") is { } explicitEndpoint
            ? ParseEndpoint(explicitEndpoint, "TableEndpoint")
            : new Uri($"{Value(parts, "DefaultEndpointsProtocol") ?? "https"}://{accountName}.table.{Value(parts, "EndpointSuffix") ?? "core.windows.net"}");
        return WithKey(endpoint, accountName, accountKey);
    }

    /// <summary>
    /// An endpoint authorized with bearer tokens from <paramref name="credential"/>, e.g. <c>DefaultAzureCredential</c>.
    /// A trailing slash (as in a storage account's <c>primaryEndpoints.table</c>) is dropped: request paths are appended to it.
    /// </summary>
    public static TableConnection FromCredential(Uri endpoint, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new TableConnection(new Uri(endpoint.AbsoluteUri.TrimEnd('/')), accountName: null, accountKey: null, credential);
    }

    /// <summary>True when <paramref name="setting"/> is an absolute http(s) URI rather than a connection string.</summary>
    public static bool IsEndpoint(string setting) =>
        Uri.TryCreate(setting, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static TableConnection WithKey(Uri endpoint, string accountName, string accountKey)
    {
        var key = new byte[accountKey.Length];
        if (!Convert.TryFromBase64String(accountKey, key, out var length))
        {
            throw new FormatException($"The AccountKey of Table Storage account '{accountName}' is not valid base64.");
        }

        return new TableConnection(endpoint, accountName, key[..length], credential: null);
    }

    private static Uri ParseEndpoint(string value, string name) =>
        IsEndpoint(value) ? new Uri(value.TrimEnd('/')) : throw new FormatException($"The {name} '{value}' is not an absolute http(s) URI.");

    private static string? Value(DbConnectionStringBuilder parts, string name) =>
        parts.TryGetValue(name, out var value) && value is string text && text.Length > 0 ? text : null;

    private static bool IsTrue(DbConnectionStringBuilder parts, string name) =>
        string.Equals(Value(parts, name), "true", StringComparison.OrdinalIgnoreCase);
}
