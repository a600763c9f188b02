using Azure;
using Azure.Data.Tables;
using Counter.Core;
using Counter.Storage.Tables;

namespace Counter.Storage;

/// <summary>
/// Strict counters in their rows of the counters table (<c>Mode</c> <c>Strict</c>, <c>Value</c>, <c>UpdatedAt</c>),
/// changed with optimistic concurrency. A batch point-reads the counters it names (and its claim's row), is decided by
/// <see cref="StrictBatch.Apply"/>, and is written as one entity group transaction in the tenant's partition: each
/// changed row replaced, or deleted, conditional on the ETag read; each counter only read merged with nothing,
/// conditional on its ETag, so that the results it answered still hold at the commit; the claim's row added, or put
/// over an expired one with its ETag. A row changed meanwhile (412), a key stored meanwhile (409) or a row deleted
/// meanwhile (404) fails the transaction whole, and the batch starts over after a random wait that doubles with each
/// loss (up to <see cref="MaxBackoffMilliseconds"/>), at most <see cref="MaxRaceAttempts"/> times. A batch that writes nothing (refused, or read only) holds if a second read
/// finds every row as the first did: there was then a moment when all were as read.
/// </summary>
public sealed partial class TableTenantStore : IStrictCounterStore
{
    /// <summary>
    /// The longest wait between attempts. Waits double with each lost race, up to this: with 16 writers on one row
    /// against Azurite under load, a cap of 250 ms still let some writer lose 45 times in a row (fresh writers do not
    /// wait, so they kept winning), while with 1 s the unluckiest needed about 20 attempts, and the whole took no longer.
    /// </summary>
    private const int MaxBackoffMilliseconds = 1000;

    public Task<StrictValue?> ReadStrictAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(counter.Tenant);
        return StoreAsync(
            async () => await ReadRowAsync(counters, partitionKey, counter.Name, cancellationToken).ConfigureAwait(false) is { } row && StrictValueOf(row) is { } value
                ? new StrictValue(counter, value, Required(row, "UpdatedAt", row.GetDateTimeOffset))
                : null,
            cancellationToken);
    }

    public Task<StrictApplied> ApplyStrictAsync(string tenant, IReadOnlyList<CounterOperation> operations, IdempotencyClaim? claim, CancellationToken cancellationToken)
    {
        var request = StrictRequest.Check(tenant, operations, claim);
        var partitionKey = PartitionKey(tenant);
        return StoreAsync(
            async () =>
            {
                for (var attempt = 1; attempt <= MaxRaceAttempts; attempt++)
                {
                    if (attempt > 1)
                    {
                        var ceiling = Math.Min(MaxBackoffMilliseconds, 1 << Math.Min(attempt, 10));
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, ceiling + 1)), cancellationToken).ConfigureAwait(false);
                    }

                    try
                    {
                        if (await TryApplyAsync(partitionKey, request, cancellationToken).ConfigureAwait(false) is { } applied)
                        {
                            return applied;
                        }
                    }
                    catch (RequestFailedException lost) when (TableFailures.IsLostRace(lost) || TableFailures.IsEntityNotFound(lost))
                    {
                    }
                }

                throw TooMuchContention(partitionKey);
            },
            cancellationToken);
    }

    /// <summary>One attempt; null when the rows changed between the reads of a batch that writes nothing.</summary>
    private async Task<StrictApplied?> TryApplyAsync(string partitionKey, StrictRequest request, CancellationToken cancellationToken)
    {
        TableEntity? keyRow = null;
        if (request.Claim is { } claim)
        {
            keyRow = await ReadRowAsync(counters, partitionKey, IdempotencyRowKeyPrefix + request.KeyHash, cancellationToken).ConfigureAwait(false);
            if (keyRow is not null && IdempotencyOf(keyRow, claim.Scope, claim.Key) is var earlier && earlier.ExpiresAt > claim.Now)
            {
                return new StrictApplied(null, earlier);
            }
        }

        var rows = await ReadCountersAsync(partitionKey, request.Counters, cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, long>(rows.Length, StringComparer.Ordinal);
        for (var index = 0; index < rows.Length; index++)
        {
            if (rows[index] is { } row && StrictValueOf(row) is { } value)
            {
                values[request.Counters[index]] = value;
            }
        }

        var outcome = StrictBatch.Apply(values, request.Operations);
        var record = outcome.Refusal is null ? request.RecordOf(outcome) : null;
        if (outcome.Changes.Count == 0 && record is null)
        {
            return rows.Length == 1 || SameRows(rows, await ReadCountersAsync(partitionKey, request.Counters, cancellationToken).ConfigureAwait(false))
                ? new StrictApplied(outcome, null)
                : null;
        }

        // Not refused, so every counter named exists and is strict.
        var changedAt = time.GetUtcNow();
        var actions = new List<TableTransactionAction>(rows.Length + 1);
        foreach (var row in rows)
        {
            actions.Add(
                !outcome.Changes.TryGetValue(row!.RowKey, out var changed) ? new(TableTransactionActionType.UpdateMerge, new TableEntity(partitionKey, row.RowKey), row.ETag)
                : changed is { } value ? new(TableTransactionActionType.UpdateReplace, StrictEntity(row, value, changedAt), row.ETag)
                : Delete(partitionKey, row.RowKey, row.ETag));
        }

        if (record is not null)
        {
            var entity = IdempotencyEntity(partitionKey, record, request.KeyHash!);
            actions.Add(keyRow is null ? new(TableTransactionActionType.Add, entity) : new(TableTransactionActionType.UpdateReplace, entity, keyRow.ETag));
        }

        await CallAsync(counters, partitionKey, null, () => counters.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            await SavedAsync(partitionKey, request.Claim!.Now, cancellationToken).ConfigureAwait(false);
        }

        return new StrictApplied(outcome, null);
    }

    /// <summary>The rows of <paramref name="names"/> (null where there is none), read at once.</summary>
    private Task<TableEntity?[]> ReadCountersAsync(string partitionKey, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Task.WhenAll(names.Select(name => ReadRowAsync(counters, partitionKey, name, cancellationToken)));

    private static bool SameRows(TableEntity?[] first, TableEntity?[] second) =>
        first.Zip(second).All(static pair => pair.First?.ETag == pair.Second?.ETag);

    /// <summary>A strict counter's value, or null for a sharded counter's row.</summary>
    private static long? StrictValueOf(TableEntity row) =>
        StoredCounterMode.Parse(row.GetString("Mode")) == CounterMode.Strict ? Required(row, "Value", row.GetInt64) : null;

    /// <summary>The row as it is to be, whole (a replacement), with its new value.</summary>
    private static TableEntity StrictEntity(TableEntity row, long value, DateTimeOffset changedAt) => new(row.PartitionKey, row.RowKey)
    {
        ["InitialValue"] = Required(row, "InitialValue", row.GetInt64),
        ["CreatedAt"] = Required(row, "CreatedAt", row.GetDateTimeOffset),
        ["Mode"] = StoredCounterMode.Strict,
        ["Value"] = value,
        ["UpdatedAt"] = changedAt,
    };
}
