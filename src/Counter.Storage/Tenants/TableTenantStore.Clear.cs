using Counter.Storage.Tables;

namespace Counter.Storage;

public sealed partial class TableTenantStore
{
    /// <summary>
    /// Every counter row of the tenant's partition, in transactions of at most 100; its idempotency rows stay, so that
    /// retries of what came before the clear are still answered as they were.
    /// </summary>
    public Task ClearCountersAsync(string tenant, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(TenantArguments.Tenant(tenant));
        return StoreAsync(
            async () =>
            {
                // Counter names never contain '!', and every character they may hold sorts after it: the idempotency
                // rows (!idem!…) sort before every counter row.
                await TablePartition.DeleteAllAsync(counters, partitionKey, cancellationToken, rowKeysAbove: IdempotencyRowKeyPrefix + "~").ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }
}
