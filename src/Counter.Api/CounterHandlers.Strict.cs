using System.Text;
using System.Text.Json;
using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    /// <summary>
    /// <c>POST /tenants/{tenant}/ops</c> (operator or tenant key) with a JSON array of up to 100 operations on strict
    /// counters: 200 with their results in input order, applied all or nothing (a condition that does not hold in a batch
    /// of several refuses the batch, 409). Sharded counters take their operations one at a time, on their routes.
    /// </summary>
    public static Task<IResult> OperationsAsync(HttpRequest request, string tenant, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), authorize: () => tenants.Access.RequireTenantAsync(request, tenant, cancellationToken), handle: async idempotency =>
        {
            await ExistingTenantAsync(tenant, tenants.Directory, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.OperationRequestArray, OperationShapes.Batch, cancellationToken).ConfigureAwait(false);
            if (OperationShapes.IsClear(body))
            {
                return await ClearAsync(tenant, backend, tenants, cancellationToken).ConfigureAwait(false);
            }

            var operations = OperationShapes.Parse(body, StrictBatch.MaxOperations);
            // Table Storage writes a batch as one transaction of at most 100 rows: one per counter named, one for the key.
            var counters = operations.Select(static operation => operation.Counter).Distinct(StringComparer.Ordinal).Count();
            var maxCounters = idempotency is null ? StrictBatch.MaxOperations : StrictBatch.MaxOperations - 1;
            if (counters > maxCounters)
            {
                throw new RequestValidationException("body", $"A batch names at most {maxCounters} distinct counters{(idempotency is null ? "" : " with an Idempotency-Key")}; it named {counters}.");
            }

            foreach (var counter in operations.Select(static operation => operation.Counter).Distinct(StringComparer.Ordinal))
            {
                var record = await ExistingCounterAsync(tenant, counter, tenants.Directory, cancellationToken).ConfigureAwait(false);
                if (record.Mode != CounterMode.Strict)
                {
                    return Problems.Conflict($"The counter '{counter}' is sharded: batches and conditional operations need strict counters (created with \"mode\":\"strict\"); a sharded counter takes inc, dec, get, set and del on its own routes.");
                }
            }

            return await ApplyStrictAsync(request, tenant, operations, batch: true, tenants, idempotency, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>
    /// <c>[{"op":"clear"}]</c>: every counter of the tenant goes, strict and sharded, as if each were deleted: the global
    /// partitions drop the tenant's totals, rows and the deltas shards still flush for them; counters created after it
    /// count from their own initial values.
    /// </summary>
    private static async Task<IResult> ClearAsync(string tenant, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken)
    {
        await ForgetAsync(backend, new ForgetCounters(null, tenant), cancellationToken).ConfigureAwait(false);
        await tenants.Directory.ClearCountersAsync(tenant, cancellationToken).ConfigureAwait(false);
        await tenants.Mirror.RemoveTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        StrictResult[] cleared = [new(OperationShapes.Clear, "*", 0, 0, true)];
        return TypedResults.Json(cleared, CounterApiJsonContext.Readable.StrictResultArray);
    }

    private static Task<IResult> StrictSingleAsync(HttpRequest request, string tenant, CounterOperation operation, TenantServices tenants, IdempotencyContext? idempotency, CancellationToken cancellationToken) =>
        ApplyStrictAsync(request, tenant, [operation], batch: false, tenants, idempotency, cancellationToken);

    private static async Task<IResult> ApplyStrictAsync(
        HttpRequest request, string tenant, IReadOnlyList<CounterOperation> operations, bool batch, TenantServices tenants, IdempotencyContext? idempotency, CancellationToken cancellationToken)
    {
        var claim = idempotency?.Claim(outcome => new StoredAnswer(StatusCodes.Status200OK, Encoding.UTF8.GetString(StrictBody(outcome, batch))));
        var applied = await tenants.Strict.ApplyStrictAsync(tenant, operations, claim, cancellationToken).ConfigureAwait(false);
        if (applied.Replayed is { } kept)
        {
            return IdempotentRequests.Replay(kept, idempotency!, request.HttpContext.Response);
        }

        var outcome = applied.Outcome!;
        if (outcome.Refusal is { } refusal)
        {
            return refusal switch
            {
                StrictRefusal.NotFound => Problems.NotFound(outcome.Reason!),
                StrictRefusal.ConditionFailed => Problems.Conflict($"Nothing of the batch was applied: {outcome.Reason}"),
                _ => throw new RequestValidationException(batch ? $"[{outcome.RefusedAt}]" : "delta", $"Nothing was applied: {outcome.Reason}"),
            };
        }

        var now = tenants.Time.GetUtcNow();
        var version = StrictVersion(CounterMode.Strict, now);
        var rows = new List<SnapshotRow>(outcome.Changes.Count);
        List<CounterKey>? removed = null;
        foreach (var (name, value) in outcome.Changes)
        {
            if (value is { } newValue)
            {
                rows.Add(new SnapshotRow(CounterKey.Create(tenant, name), newValue, version, now));
            }
            else
            {
                (removed ??= []).Add(CounterKey.Create(tenant, name));
            }
        }

        foreach (var counter in removed ?? [])
        {
            await tenants.Directory.DeleteCounterAsync(counter, CancellationToken.None).ConfigureAwait(false);
        }

        // To the read path's mirror (StrictMirror) after the commit, so that the tenant's list shows the values; their
        // version is the time of the change, above any earlier mirror of them.
        if (rows.Count > 1)
        {
            rows.Sort(static (left, right) => left.Counter.CompareTo(right.Counter));
        }

        await tenants.Mirror.MirrorAsync(new SnapshotBatch(version, now, rows, removed), cancellationToken).ConfigureAwait(false);
        return new JsonAnswer(StrictBody(outcome, batch), StatusCodes.Status200OK);
    }

    private static byte[] StrictBody(StrictOutcome outcome, bool batch)
    {
        var results = new StrictResult[outcome.Results.Count];
        for (var index = 0; index < results.Length; index++)
        {
            var result = outcome.Results[index];
            results[index] = new StrictResult(OperationShapes.NameOf(result.Kind), result.Counter, result.Value, result.Previous, result.Applied);
        }

        return batch
            ? JsonSerializer.SerializeToUtf8Bytes(results, CounterApiJsonContext.Readable.StrictResultArray)
            : JsonSerializer.SerializeToUtf8Bytes(results[0], CounterApiJsonContext.Readable.StrictResult);
    }

    /// <summary>Takes a deleted strict counter off the read path (<see cref="StrictMirror"/>), after the changes to it queued before.</summary>
    private static ValueTask MirrorStrictRemovalAsync(TenantServices tenants, CounterKey removed, CancellationToken cancellationToken)
    {
        var now = tenants.Time.GetUtcNow();
        return tenants.Mirror.MirrorAsync(new SnapshotBatch(StrictVersion(CounterMode.Strict, now), now, [], [removed]), cancellationToken);
    }

    /// <summary>The read-path version of a counter's row written by the API: a strict counter's mirror is versioned by time; a sharded counter's initial row is 0.</summary>
    private static long StrictVersion(CounterMode mode, DateTimeOffset now) => mode == CounterMode.Strict ? now.UtcTicks : 0;
}
