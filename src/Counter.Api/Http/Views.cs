using Counter.Core;

namespace Counter.Api;

/// <summary>Turns entity states into the contract's response shapes: one tenant's counters by name, ordered.</summary>
internal static class Views
{
    public static Dictionary<string, long> CountersOf(IEnumerable<KeyValuePair<CounterKey, long>> counters, string tenant) =>
        counters
            .Where(counter => counter.Key.Tenant == tenant)
            .OrderBy(static counter => counter.Key.Name, StringComparer.Ordinal)
            .ToDictionary(static counter => counter.Key.Name, static counter => counter.Value);

    public static ShardView Shard(string shard, ShardState? state, string tenant) => state is null
        ? new ShardView(shard, new Dictionary<string, long>(), 0, 1, null, 0)
        : new ShardView(shard, CountersOf(state.Pending, tenant), state.PendingIncrements, state.NextSequence, state.FlushDueAt, state.DuplicateAdds);

    /// <summary>Orders shards by number ("2" before "10").</summary>
    public static int ShardNumber(string shardKey) => EntityAddress.ShardIndex(shardKey) ?? int.MaxValue;
}
