using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    /// <summary><c>POST /increment/{counter}?by=n&amp;shard=s</c>: 202 once the increment is durable.</summary>
    public static Task<IResult> IncrementAsync(HttpRequest request, string counter, ICounterBackend backend, IdempotentRequests idempotency, CancellationToken cancellationToken) =>
        Mutation(request, idempotency, Tenant, async key =>
        {
            Increment[] increments = [new(CounterKey.Create(Tenant, counter), QueryParameters.OptionalInt64(request, "by", 1))];
            var shard = await SignalIncrementsAsync(request, increments, backend, key, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new IncrementAccepted(counter, shard), CounterApiJsonContext.Readable.IncrementAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary><c>POST /increments</c> with <c>{"a":1,"b":5}</c>: all of them on one shard, in one durable signal, or none.</summary>
    public static Task<IResult> IncrementManyAsync(HttpRequest request, ICounterBackend backend, IdempotentRequests idempotency, CancellationToken cancellationToken) =>
        Mutation(request, idempotency, Tenant, async key =>
        {
            var increments = await IncrementsBody.ReadAsync(request, Tenant, cancellationToken).ConfigureAwait(false);
            var shard = await SignalIncrementsAsync(request, increments, backend, key, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new IncrementsAccepted(increments.Count, shard), CounterApiJsonContext.Readable.IncrementsAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// Sends the increments to a shard, durably: the one the request names, else the one of its idempotency key (which
    /// applies them once per key, so a retry after a lost answer counts once), else the backend's choice (a random one).
    /// </summary>
    private static async Task<int> SignalIncrementsAsync(HttpRequest request, IReadOnlyList<Increment> increments, ICounterBackend backend, IdempotencyContext? key, CancellationToken cancellationToken)
    {
        var shardCount = backend.Options.ShardCount;
        var shard = QueryParameters.OptionalInt32(request, "shard", 0, shardCount)
            ?? (key is null ? backend.ChooseShard() : (int)(Convert.ToUInt64(key.KeyHash[..15], 16) % (ulong)shardCount));
        await EnsureTotalsStayInRangeAsync(increments, backend, cancellationToken).ConfigureAwait(false);
        var add = new AddIncrements(increments, IdempotencyKey: key?.KeyHash, KeyExpiresAt: key?.ExpiresAt);
        await backend.SignalAsync(EntityAddress.Shard(shard), ShardOperations.Add, add, cancellationToken).ConfigureAwait(false);
        return shard;
    }

    /// <summary>
    /// A delta must fit Int64 together with the counter's total. Only deltas beyond Int32 can get there within any
    /// realistic total, so only they cost a read of the global entity; the core saturates whatever races past this check.
    /// </summary>
    private static async Task EnsureTotalsStayInRangeAsync(IReadOnlyList<Increment> increments, ICounterBackend backend, CancellationToken cancellationToken)
    {
        if (!increments.Any(static increment => increment.Delta is > int.MaxValue or < int.MinValue))
        {
            return;
        }

        var partitions = backend.Options.GlobalPartitions;
        var globals = new Dictionary<EntityAddress, GlobalState?>();
        foreach (var (counter, delta) in increments)
        {
            var address = GlobalPartitions.AddressOf(counter, partitions);
            if (!globals.TryGetValue(address, out var global))
            {
                global = await backend.ReadEntityAsync<GlobalState>(address, cancellationToken).ConfigureAwait(false);
                globals[address] = global;
            }

            var total = global?.Totals.GetValueOrDefault(counter) ?? 0;
            if (delta > 0 ? total > long.MaxValue - delta : total < long.MinValue - delta)
            {
                throw new RequestValidationException(counter.Name, $"Adding {delta} to '{counter.Name}' (total {total}) would leave the range of a 64-bit integer.");
            }
        }
    }
}
