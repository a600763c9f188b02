using Azure;
using Azure.Data.Tables;

namespace Counter.Storage.Tables;

/// <summary>Operations on a whole partition, which Table Storage has no single call for.</summary>
internal static class TablePartition
{
    /// <summary>The most actions of one entity group transaction.</summary>
    public const int MaxTransactionSize = 100;

    private static readonly string[] RowKeyOnly = ["RowKey"];

    /// <summary>
    /// Deletes every row of the partition, a transaction of at most <see cref="MaxTransactionSize"/> rows at a time,
    /// until a query finds none left. A row someone else deleted since the query fails its whole transaction (404):
    /// the query is then made again. A failure names the table and the partition. With <paramref name="rowKeysAbove"/>,
    /// only the rows whose RowKey sorts after it go.
    /// </summary>
    public static async Task DeleteAllAsync(TableClient table, string partitionKey, CancellationToken cancellationToken, string? rowKeysAbove = null)
    {
        var filter = rowKeysAbove is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {rowKeysAbove}");
        while (true)
        {
            try
            {
                var rowKeys = new List<string>(MaxTransactionSize);
                await foreach (var entity in table.QueryAsync<TableEntity>(filter, MaxTransactionSize, RowKeyOnly, cancellationToken).ConfigureAwait(false))
                {
                    rowKeys.Add(entity.RowKey);
                    if (rowKeys.Count == MaxTransactionSize)
                    {
                        break;
                    }
                }

                if (rowKeys.Count == 0)
                {
                    return;
                }

                await table.SubmitTransactionAsync(
                    rowKeys.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ETag.All)),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException gone) when (TableFailures.IsEntityNotFound(gone))
            {
                // Deleted by someone else since the query: query again.
            }
            catch (Exception failure) when (TableFailures.IsFromService(failure, cancellationToken))
            {
                throw TableFailures.Describe(failure, table.Name, partitionKey, null);
            }
        }
    }
}
