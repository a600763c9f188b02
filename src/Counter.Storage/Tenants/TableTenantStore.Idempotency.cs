using Azure;
using Azure.Data.Tables;
using Counter.Core;
using Counter.Storage.Tables;

namespace Counter.Storage;

/// <summary>
/// Idempotency records as rows of the counters table, in the partition of their scope (the tenant's), so that a strict
/// batch stores its claim in the same entity group transaction as its changes: RowKey <c>!idem!{SHA-256 hex of the key}</c>
/// (no counter name contains <c>!</c>), <c>Fingerprint</c>, <c>Status</c> (Int32), <c>Body</c> (a string property
/// holds at most 64 KiB) and <c>ExpiresAt</c>. Deleting a tenant deletes its partition, these rows with it. An expired
/// record is absent to every read and overwritten, conditional on its ETag, by the next save of its key; every
/// <see cref="SweepEvery"/>th save of this instance also deletes a transaction's worth of its partition's expired rows.
/// </summary>
public sealed partial class TableTenantStore : IIdempotencyStore
{
    /// <summary>How often a save sweeps its partition: one query and one transaction every so many saves, a small share of the writes.</summary>
    internal const int SweepEvery = 64;

    internal const string IdempotencyRowKeyPrefix = "!idem!";

    /// <summary>Above every idempotency RowKey: <c>~</c> sorts after the hex digits.</summary>
    private const string IdempotencyRowKeyEnd = IdempotencyRowKeyPrefix + "~";

    private int saves;

    public Task<IdempotencyRecord?> ReadIdempotencyAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(IdempotencyArguments.Scope(scope));
        var rowKey = IdempotencyRowKeyPrefix + IdempotencyArguments.KeyHash(key);
        return StoreAsync(
            async () => await ReadRowAsync(counters, partitionKey, rowKey, cancellationToken).ConfigureAwait(false) is { } row
                && IdempotencyOf(row, scope, key) is var record && record.ExpiresAt > now ? record : null,
            cancellationToken);
    }

    /// <summary>Adds the row; when its key has one, replaces it if expired (with the ETag read), else answers false.</summary>
    public Task<bool> TrySaveIdempotencyAsync(IdempotencyRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keyHash = IdempotencyArguments.KeyHashOf(record);
        var entity = IdempotencyEntity(PartitionKey(record.Scope), record, keyHash);
        return StoreAsync(
            async () =>
            {
                // Each lost race means another save of this key got there first, so the next read most likely finds it live.
                for (var attempt = 1; attempt <= MaxRaceAttempts; attempt++)
                {
                    try
                    {
                        await CallAsync(counters, entity.PartitionKey, entity.RowKey, () => counters.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
                        await SavedAsync(entity.PartitionKey, now, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    catch (RequestFailedException exists) when (exists.Status == 409)
                    {
                    }

                    var held = await ReadRowAsync(counters, entity.PartitionKey, entity.RowKey, cancellationToken).ConfigureAwait(false);
                    if (held is null)
                    {
                        continue;
                    }

                    if (IdempotencyOf(held, record.Scope, record.Key).ExpiresAt > now)
                    {
                        return false;
                    }

                    try
                    {
                        await CallAsync(
                            counters,
                            entity.PartitionKey,
                            entity.RowKey,
                            () => counters.UpdateEntityAsync(entity, held.ETag, TableUpdateMode.Replace, cancellationToken),
                            cancellationToken).ConfigureAwait(false);
                        await SavedAsync(entity.PartitionKey, now, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    catch (RequestFailedException lost) when (TableFailures.IsLostRace(lost) || TableFailures.IsEntityNotFound(lost))
                    {
                    }
                }

                throw TooMuchContention(entity.PartitionKey);
            },
            cancellationToken);
    }

    /// <summary>Counts a save, and sweeps <paramref name="partitionKey"/> on every <see cref="SweepEvery"/>th.</summary>
    private Task SavedAsync(string partitionKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref saves) % SweepEvery == 0 ? SweepAsync(partitionKey, now, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Deletes up to a transaction of the partition's records expired at <paramref name="now"/>, each conditional on the
    /// ETag read, so that a record saved again meanwhile stays. Opportunistic: the save it follows is done, so a
    /// failure here is left for a later sweep rather than reported.
    /// </summary>
    private async Task SweepAsync(string partitionKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey gt {IdempotencyRowKeyPrefix} and RowKey lt {IdempotencyRowKeyEnd} and ExpiresAt le {now}");
        try
        {
            var expired = new List<TableTransactionAction>(TablePartition.MaxTransactionSize);
            await foreach (var row in counters.QueryAsync<TableEntity>(filter, TablePartition.MaxTransactionSize, RowKeyOnly, cancellationToken).ConfigureAwait(false))
            {
                expired.Add(Delete(partitionKey, row.RowKey, row.ETag));
                if (expired.Count == TablePartition.MaxTransactionSize)
                {
                    break;
                }
            }

            if (expired.Count > 0)
            {
                await counters.SubmitTransactionAsync(expired, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (failure is RequestFailedException or AggregateException or OperationCanceledException)
        {
            // Left for the next sweep; a row saved again meanwhile failed the transaction (412) and stays. Not even the
            // caller's cancellation is reported: the save it asked for is done.
        }
    }

    private static TableEntity IdempotencyEntity(string partitionKey, IdempotencyRecord record, string keyHash) => new(partitionKey, IdempotencyRowKeyPrefix + keyHash)
    {
        ["Fingerprint"] = record.Fingerprint,
        ["Status"] = record.Status,
        ["Body"] = record.Body,
        ["ExpiresAt"] = record.ExpiresAt,
    };

    /// <summary>The record a row holds; the key itself is not in it, only its hash, so it is the one asked for.</summary>
    private static IdempotencyRecord IdempotencyOf(TableEntity row, string scope, string key) => new(
        scope,
        key,
        RequiredText(row, "Fingerprint"),
        Required(row, "Status", row.GetInt32),
        RequiredText(row, "Body"),
        Required(row, "ExpiresAt", row.GetDateTimeOffset));
}
