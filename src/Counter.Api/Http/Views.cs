using System.Globalization;
using Counter.Core;

namespace Counter.Api;

/// <summary>Turns entity states into the contract's response shapes: one tenant's counters by name, ordered.</summary>
internal static class Views
{
    public static Dictionary<string, long> CountersOf(IEnumerable<KeyValuePair<CounterKey, long>> counters, string tenant)
    {
        var names = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (counter, value) in counters)
        {
            if (counter.Tenant == tenant)
            {
                names[counter.Name] = value;
            }
        }

        return new Dictionary<string, long>(names);
    }

    public static ShardView Shard(string shard, ShardState? state, string tenant) => state is null
        ? new ShardView(shard, new Dictionary<string, long>(), 0, 1, null)
        : new ShardView(shard, CountersOf(state.Pending, tenant), state.PendingIncrements, state.NextSequence, state.FlushDueAt);

    public static int ShardNumber(EntityAddress shard) =>
        int.TryParse(shard.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;
}
