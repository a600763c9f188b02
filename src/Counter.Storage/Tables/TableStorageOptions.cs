using System.Text.RegularExpressions;

namespace Counter.Storage.Tables;

/// <summary>Where the Table Storage read path lives, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed partial class TableStorageOptions
{
    public const string SectionName = "Storage";
    public const string DefaultTableName = "counters";

    /// <summary>
    /// <c>Storage:TablesConnection</c>: a connection string (<c>UseDevelopmentStorage=true</c>, or
    /// <c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…[;TableEndpoint=…]</c>), or the table endpoint URI alone
    /// (<c>https://account.table.core.windows.net</c>), which is then authorized with DefaultAzureCredential (managed identity).
    /// </summary>
    public string? TablesConnection { get; set; }

    /// <summary><c>Storage:TableName</c>: 3 to 63 letters or digits, starting with a letter.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(TablesConnection))
        {
            problems.Add($"{SectionName}:{nameof(TablesConnection)} is required when snapshots go to Table Storage, e.g. 'UseDevelopmentStorage=true'.");
        }
        else if (!TableConnection.IsEndpoint(TablesConnection))
        {
            try
            {
                TableConnection.Parse(TablesConnection);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException)
            {
                problems.Add($"{SectionName}:{nameof(TablesConnection)} is not a valid connection string: {exception.Message}");
            }
        }

        if (!TableNamePattern().IsMatch(TableName ?? "") || string.Equals(TableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{SectionName}:{nameof(TableName)} must be 3 to 63 ASCII letters or digits starting with a letter (and not 'tables'); it was '{TableName}'.");
        }

        return problems;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
