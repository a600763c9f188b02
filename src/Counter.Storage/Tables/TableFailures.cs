using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Counter.Storage.Tables;

/// <summary>
/// What a failed call to Table Storage means to the stores on it. The SDK reports the service's answers as
/// <see cref="RequestFailedException"/> (a failed transaction as <see cref="TableTransactionFailedException"/>), and its
/// retry policy giving up on refused connections or timeouts as <see cref="AggregateException"/>.
/// </summary>
internal static class TableFailures
{
    private static readonly string TableNotFound = TableErrorCode.TableNotFound.ToString();

    /// <summary>True for a failure of the service or of reaching it; false for the caller's own cancellation.</summary>
    public static bool IsFromService(Exception failure, CancellationToken cancellationToken) =>
        failure is RequestFailedException or AggregateException
        || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>
    /// The failure as a <see cref="RequestFailedException"/> with the service's status (0 when there was no answer) and
    /// error code, and a message that names the table, the entity's keys and the status.
    /// </summary>
    public static RequestFailedException Describe(Exception failure, string table, string? partitionKey, string? rowKey)
    {
        var (status, errorCode) = failure is RequestFailedException answer ? (answer.Status, answer.ErrorCode) : (0, null);
        var answered = status == 0 ? "no answer" : $"status {status}{(errorCode is null ? "" : $" ({errorCode})")}";
        var entity = partitionKey is null ? "" : $", PartitionKey '{partitionKey}'{(rowKey is null ? "" : $", RowKey '{rowKey}'")}";
        // The SDK's message goes on with the answer's content and headers; its first line says what went wrong.
        var detail = failure.Message.Split('\n', 2)[0].Trim();
        return new RequestFailedException(status, $"Table Storage: table '{table}'{entity}: {answered}. {detail}", errorCode, failure);
    }

    /// <summary>The table is gone: deleted since it was created, or never created.</summary>
    public static bool IsTableNotFound(RequestFailedException failure) =>
        string.Equals(failure.ErrorCode, TableNotFound, StringComparison.OrdinalIgnoreCase);

    /// <summary>The entity is not there (404), in a table that is.</summary>
    public static bool IsEntityNotFound(RequestFailedException failure) => failure.Status == 404 && !IsTableNotFound(failure);

    /// <summary>Another writer changed a row between our read and our write: it exists now (409) or has another ETag (412).</summary>
    public static bool IsLostRace(RequestFailedException failure) => failure.Status is 409 or 412;

    /// <summary>The service could not be reached, or keeps failing: no answer, a timeout, throttling, a server error.</summary>
    public static bool IsOutage(RequestFailedException failure) => failure.Status is 0 or 408 or 429 or >= 500;
}
