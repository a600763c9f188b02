namespace Counter.Core;

/// <summary>What a sharded counter counts at one moment, read from the states of the entities that hold its increments.</summary>
public static class ShardedTotal
{
    /// <summary>
    /// The total its global partition has merged plus what every shard still buffers. Exact when the states are of one
    /// moment with no flush between a shard and the partition in flight; otherwise short of that flush.
    /// </summary>
    public static long Of(CounterKey counter, GlobalState? global, IEnumerable<ShardState> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var total = global?.Totals.GetValueOrDefault(counter) ?? 0;
        foreach (var shard in shards)
        {
            total = SaturatingMath.Add(total, shard.Pending.GetValueOrDefault(counter));
        }

        return total;
    }
}
