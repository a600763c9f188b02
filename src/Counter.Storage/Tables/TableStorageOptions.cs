using System.Text.RegularExpressions;
using Azure.Data.Tables;

namespace Counter.Storage.Tables;

/// <summary>Where the Table Storage read path and tenant store live, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed partial class TableStorageOptions
{
    public const string SectionName = "Storage";
    public const string DefaultTableName = "counters";
    public const string TenantsTableSuffix = "Tenants";
    public const string TenantCountersTableSuffix = "TenantCounters";

    /// <summary>
    /// Table Storage allows table names of 63 characters; the longer tenant table's name adds the 14 characters of
    /// <see cref="TenantCountersTableSuffix"/> to <see cref="TableName"/>.
    /// </summary>
    public const int MaxTableNameLength = 49;

    /// <summary>
    /// <c>Storage:TablesConnection</c>: a connection string (<c>UseDevelopmentStorage=true</c>, or
    /// <c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…[;TableEndpoint=…]</c>), or the table endpoint URI alone
    /// (<c>https://account.table.core.windows.net</c>), which is then authorized with DefaultAzureCredential (managed identity).
    /// </summary>
    public string? TablesConnection { get; set; }

    /// <summary>The table endpoint when <see cref="TablesConnection"/> is an absolute http(s) URI; null when it is a connection string.</summary>
    public Uri? TablesEndpoint =>
        Uri.TryCreate(TablesConnection, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;

    /// <summary>
    /// <c>Storage:TableName</c>: the snapshot table, 3 to <see cref="MaxTableNameLength"/> letters or digits, starting
    /// with a letter; it also names the tenant store's tables (<see cref="TenantsTableName"/>, <see cref="TenantCountersTableName"/>).
    /// </summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>The tenants and their keys: <c>{TableName}Tenants</c>.</summary>
    public string TenantsTableName => TableName + TenantsTableSuffix;

    /// <summary>The counters created in tenants: <c>{TableName}TenantCounters</c>.</summary>
    public string TenantCountersTableName => TableName + TenantCountersTableSuffix;

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(TablesConnection))
        {
            problems.Add($"{SectionName}:{nameof(TablesConnection)} is required when snapshots go to Table Storage, e.g. 'UseDevelopmentStorage=true'.");
        }
        else if (TablesEndpoint is null && ConnectionStringProblem(TablesConnection) is { } problem)
        {
            problems.Add($"{SectionName}:{nameof(TablesConnection)} is not a valid connection string: {problem}");
        }

        if (!TableNamePattern().IsMatch(TableName ?? "") || string.Equals(TableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(
                $"{SectionName}:{nameof(TableName)} must be 3 to {MaxTableNameLength} ASCII letters or digits starting with a letter (and not 'tables'; "
                + $"the tenant tables add '{TenantCountersTableSuffix}' to it, within Table Storage's 63); it was '{TableName}'.");
        }

        return problems;
    }

    /// <summary>What the SDK's own parser finds wrong with a connection string (so that what passes here is what the store's client accepts); null when nothing.</summary>
    private static string? ConnectionStringProblem(string connection)
    {
        try
        {
            var endpoint = new TableServiceClient(connection).Uri;
            return endpoint.Scheme == Uri.UriSchemeHttps || endpoint.Scheme == Uri.UriSchemeHttp ? null : $"its table endpoint '{endpoint}' is not an http(s) URI.";
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            return WithoutSecrets(exception.Message);
        }
    }

    /// <summary>
    /// The parser's messages quote the part of the setting they trip over (<c>keyword 'AccountKey'</c>), which may be an
    /// account key whose '=' was mistyped: a quoted part that is not a plain keyword is masked.
    /// </summary>
    private static string WithoutSecrets(string message) => QuotedNonKeyword().Replace(message, "'***'");

    // {2,48}: MaxTableNameLength less the first letter.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,48}$")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex(@"(?<=\s)'(?![A-Za-z]{1,32}')[^']*'")]
    private static partial Regex QuotedNonKeyword();
}
