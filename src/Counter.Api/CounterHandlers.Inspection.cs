using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    /// <summary><c>GET /global/counters</c>: the totals of every global partition.</summary>
    public static Task<IResult> GlobalCountersAsync(HttpRequest request, ICounterBackend backend, ApiKeyAccess access, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var partitions = await ReadGlobalPartitionsAsync(backend, cancellationToken).ConfigureAwait(false);
            var views = partitions
                .Select(static partition => new PartitionView(partition.Number, Views.CountersOf(partition.State.Totals, Tenant), partition.State.SnapshotVersion, partition.State.SnapshotDueAt))
                .ToList();
            var body = new GlobalCounters(
                Views.CountersOf(partitions.SelectMany(static partition => partition.State.Totals), Tenant),
                views.Max(static partition => partition.SnapshotVersion),
                views.Min(static partition => partition.SnapshotDueAt),
                views);
            return TypedResults.Json(body, CounterApiJsonContext.Readable.GlobalCounters);
        });

    /// <summary><c>GET /global/writes</c>: the latest merges of shard flushes, of every partition.</summary>
    public static Task<IResult> GlobalWritesAsync(HttpRequest request, ICounterBackend backend, ApiKeyAccess access, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var partitions = await ReadGlobalPartitionsAsync(backend, cancellationToken).ConfigureAwait(false);
            var writes = partitions
                .SelectMany(static partition => partition.State.RecentMerges.Select(merge =>
                    new MergeView(partition.Number, merge.Shard, merge.Sequence, merge.Counters, merge.Increments, merge.At)))
                .OrderBy(static merge => merge.At)
                .TakeLast(GlobalState.RecentMergeLimit)
                .ToList();
            var duplicates = partitions.Sum(static partition => partition.State.DuplicateFlushes);
            return TypedResults.Json(new GlobalWrites(writes, duplicates), CounterApiJsonContext.Readable.GlobalWrites);
        });

    /// <summary><c>GET /global/shardWrites</c>: merges per shard, summed over partitions and per partition, and their sum.</summary>
    public static Task<IResult> GlobalShardWritesAsync(HttpRequest request, ICounterBackend backend, ApiKeyAccess access, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var partitions = await ReadGlobalPartitionsAsync(backend, cancellationToken).ConfigureAwait(false);
            var byPartition = partitions.ToDictionary(
                static partition => partition.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                static partition => (IReadOnlyDictionary<string, long>)MergesPerShard(partition.State.Shards.Select(static shard => (shard.Key, shard.Value.Merges))));
            var shards = MergesPerShard(partitions.SelectMany(static partition => partition.State.Shards.Select(static shard => (shard.Key, shard.Value.Merges))));
            return TypedResults.Json(new GlobalShardWrites(shards, shards.Values.Sum(), byPartition), CounterApiJsonContext.Readable.GlobalShardWrites);
        });

    /// <summary><c>GET /global/shards</c>: what every existing shard holds now, including shards beyond the current ShardCount.</summary>
    public static Task<IResult> GlobalShardsAsync(HttpRequest request, ICounterBackend backend, ApiKeyAccess access, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
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
    public static Task<IResult> GlobalResetAsync(HttpRequest request, string counter, ICounterBackend backend, ApiKeyAccess access, IdempotentRequests idempotency, CancellationToken cancellationToken) =>
        Mutation(request, idempotency, Tenant, authorize: () => access.RequireOperatorAsync(request, cancellationToken), handle: async _ =>
        {
            var key = CounterKey.Create(Tenant, counter);
            var global = GlobalPartitions.AddressOf(key, backend.Options.GlobalPartitions);
            await backend.SignalAsync(global, GlobalOperations.Reset, new ResetCounter(key), cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new ResetAccepted(counter), CounterApiJsonContext.Readable.ResetAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary><c>GET /shard/{n}/counters</c>: what shard n holds now (n may exceed the current ShardCount).</summary>
    public static Task<IResult> ShardCountersAsync(HttpRequest request, string n, ICounterBackend backend, ApiKeyAccess access, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var shard = EntityAddress.Shard(ShardRouteValue(n));
            var state = await backend.ReadEntityAsync<ShardState>(shard, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(Views.Shard(shard.Key, state, Tenant), CounterApiJsonContext.Readable.ShardView);
        });

    /// <summary><c>POST /shard/{n}/write</c>: shard n hands its buffer to the global entity now.</summary>
    public static Task<IResult> ShardWriteAsync(HttpRequest request, string n, ICounterBackend backend, ApiKeyAccess access, IdempotentRequests idempotency, CancellationToken cancellationToken) =>
        Mutation(request, idempotency, Tenant, authorize: () => access.RequireOperatorAsync(request, cancellationToken), handle: async _ =>
        {
            var shard = ShardRouteValue(n);
            await backend.SignalAsync(EntityAddress.Shard(shard), ShardOperations.Write, null, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new ShardWriteAccepted(shard), CounterApiJsonContext.Readable.ShardWriteAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    // Shards beyond the current ShardCount may still hold increments after it was lowered, so any possible shard is addressable.
    private static int ShardRouteValue(string n) => QueryParameters.Int32InRange("n", n, 0, CounterOptions.MaxShardCount);

    /// <summary>Every global partition's state (empty for one that has none yet), in partition order.</summary>
    private static async Task<IReadOnlyList<(int Number, GlobalState State)>> ReadGlobalPartitionsAsync(ICounterBackend backend, CancellationToken cancellationToken)
    {
        var addresses = GlobalPartitions.All(backend.Options.GlobalPartitions);
        var states = await Task.WhenAll(addresses.Select(address => backend.ReadEntityAsync<GlobalState>(address, cancellationToken))).ConfigureAwait(false);
        return [.. states.Select(static (state, number) => (number, state ?? new GlobalState()))];
    }

    private static Dictionary<string, long> MergesPerShard(IEnumerable<(string Shard, long Merges)> merges) =>
        merges
            .GroupBy(static merge => merge.Shard)
            .OrderBy(static shard => Views.ShardNumber(shard.Key))
            .ToDictionary(static shard => shard.Key, static shard => shard.Sum(static merge => merge.Merges));
}
