namespace Counter.Storage.Tables;

/// <summary>Builds OData filters for queries; values become string literals with single quotes doubled.</summary>
public static class TableFilter
{
    public static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    public static string PartitionEquals(string partitionKey) => $"PartitionKey eq {Literal(partitionKey)}";

    /// <summary>The entities of one partition whose RowKey lies in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static string RowKeyRange(string partitionKey, string from, string to) =>
        $"{PartitionEquals(partitionKey)} and RowKey ge {Literal(from)} and RowKey le {Literal(to)}";
}
