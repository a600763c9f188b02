using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    /// <summary><c>GET /global/counters</c>: the global entity's totals.</summary>
    public static Task<IResult> GlobalCountersAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var global = await ReadGlobalAsync(backend, cancellationToken).ConfigureAwait(false);
            var body = new GlobalCounters(Views.CountersOf(global.Totals, Tenant), global.SnapshotVersion, global.SnapshotDueAt);
            return TypedResults.Json(body, CounterApiJsonContext.Readable.GlobalCounters);
        });

    /// <summary><c>GET /global/writes</c>: the latest merges of shard flushes.</summary>
    public static Task<IResult> GlobalWritesAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var global = await ReadGlobalAsync(backend, cancellationToken).ConfigureAwait(false);
            var writes = global.RecentMerges.Select(static merge => new MergeView(merge.Shard, merge.Sequence, merge.Counters, merge.Increments, merge.At)).ToList();
            return TypedResults.Json(new GlobalWrites(writes, global.DuplicateFlushes), CounterApiJsonContext.Readable.GlobalWrites);
        });

    /// <summary><c>GET /global/shardWrites</c>: merges per shard and their sum.</summary>
    public static Task<IResult> GlobalShardWritesAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var global = await ReadGlobalAsync(backend, cancellationToken).ConfigureAwait(false);
            var shards = global.Shards
                .OrderBy(static shard => Views.ShardNumber(shard.Key))
                .ToDictionary(static shard => shard.Key, static shard => shard.Value.Merges);
            return TypedResults.Json(new GlobalShardWrites(shards, shards.Values.Sum()), CounterApiJsonContext.Readable.GlobalShardWrites);
        });

    /// <summary><c>GET /global/shards</c>: what every existing shard holds now, including shards beyond the current ShardCount.</summary>
    public static Task<IResult> GlobalShardsAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var addresses = await backend.ListEntitiesAsync(EntityAddress.ShardName, cancellationToken).ConfigureAwait(false);
            var views = new List<ShardView>(addresses.Count);
            foreach (var address in addresses.OrderBy(static address => Views.ShardNumber(address.Key)))
            {
                var state = await backend.ReadEntityAsync<ShardState>(address, cancellationToken).ConfigureAwait(false);
                views.Add(Views.Shard(address.Key, state, Tenant));
            }

            return TypedResults.Json(new GlobalShards(backend.Options.ShardCount, views), CounterApiJsonContext.Readable.GlobalShards);
        });

    /// <summary><c>POST /global/reset/{counter}</c>: sets the total to zero and snapshots it; increments still in shards add to it later.</summary>
    public static Task<IResult> GlobalResetAsync(HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var key = CounterKey.Create(Tenant, counter);
            await backend.SignalAsync(EntityAddress.Global, GlobalOperations.Reset, new ResetCounter(key), cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new ResetAccepted(counter), CounterApiJsonContext.Readable.ResetAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary><c>GET /shard/{n}/counters</c>: what shard n holds now (n may exceed the current ShardCount).</summary>
    public static Task<IResult> ShardCountersAsync(HttpRequest request, string n, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var shard = EntityAddress.Shard(ShardRouteValue(n));
            var state = await backend.ReadEntityAsync<ShardState>(shard, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(Views.Shard(shard.Key, state, Tenant), CounterApiJsonContext.Readable.ShardView);
        });

    /// <summary><c>POST /shard/{n}/write</c>: shard n hands its buffer to the global entity now.</summary>
    public static Task<IResult> ShardWriteAsync(HttpRequest request, string n, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var shard = ShardRouteValue(n);
            await backend.SignalAsync(EntityAddress.Shard(shard), ShardOperations.Write, null, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new ShardWriteAccepted(shard), CounterApiJsonContext.Readable.ShardWriteAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    // Shards beyond the current ShardCount may still hold increments after it was lowered, so any possible shard is addressable.
    private static int ShardRouteValue(string n) => QueryParameters.Int32InRange("n", n, 0, CounterOptions.MaxShardCount);

    private static async Task<GlobalState> ReadGlobalAsync(ICounterBackend backend, CancellationToken cancellationToken) =>
        await backend.ReadEntityAsync<GlobalState>(EntityAddress.Global, cancellationToken).ConfigureAwait(false) ?? new GlobalState();
}
