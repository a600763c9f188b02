namespace Counter.Storage.Tables;

/// <summary>A Table Storage request failed. The message names the table, the entity key (if any) and the status.</summary>
public sealed class TableStorageException : Exception
{
    public TableStorageException(TableErrorKind kind, int status, string? errorCode, string table, string? partitionKey, string? rowKey, string detail, Exception? innerException = null)
        : base(Describe(kind, status, errorCode, table, partitionKey, rowKey, detail), innerException)
    {
        Kind = kind;
        Status = status;
        ErrorCode = errorCode;
        Table = table;
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public TableErrorKind Kind { get; }

    /// <summary>The HTTP status, or 0 when no answer was received.</summary>
    public int Status { get; }

    /// <summary>The service's error code (e.g. <c>TableNotFound</c>, <c>AuthenticationFailed</c>), when it sent one.</summary>
    public string? ErrorCode { get; }

    public string Table { get; }

    public string? PartitionKey { get; }

    public string? RowKey { get; }

    private static string Describe(TableErrorKind kind, int status, string? errorCode, string table, string? partitionKey, string? rowKey, string detail)
    {
        var answer = status == 0 ? "no answer" : $"status {status}{(errorCode is null ? "" : $" ({errorCode})")}";
        var entity = partitionKey is null ? "" : $", PartitionKey '{partitionKey}'{(rowKey is null ? "" : $", RowKey '{rowKey}'")}";
        return $"Table Storage {kind}: table '{table}'{entity}: {answer}. {detail}";
    }
}
