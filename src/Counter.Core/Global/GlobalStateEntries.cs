using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Counter.Core;

/// <summary>
/// A counter's total as kept on its own, and the snapshot version it waits for (0 when the snapshot store has it);
/// or, when <paramref name="Removed"/>, the counter was deleted and its earlier entries no longer hold.
/// </summary>
public readonly record struct TotalEntry(CounterKey Counter, long Total, long DirtyForVersion, bool Removed = false);

/// <summary>
/// The global state kept as a small head (everything but the totals) and one <see cref="TotalEntry"/> per counter, for
/// hosts that write only what a batch changed: over many counters the whole state is megabytes, while a batch changes
/// the entries of the counters it merged. Hosts that keep the state whole (Durable Entities) do not use it.
/// </summary>
public static class GlobalStateEntries
{
    /// <summary>The JSON contract of the head: <see cref="GlobalState"/> without its totals and its dirty set.</summary>
    public static JsonTypeInfo<GlobalState> Head { get; } = HeadTypeInfo();

    /// <summary>The entries of the counters changed since the last call, in no particular order.</summary>
    public static List<TotalEntry> TakeChanged(GlobalState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entries = Entries(state, state.Changed, state.Changed.Count);
        state.Changed.Clear();
        return entries;
    }

    /// <summary>
    /// The entries of every counter, for a host that keeps them anew; what was changed counts as taken. Read from the
    /// totals rather than added to the changed set, which would otherwise keep room for every counter from then on.
    /// </summary>
    public static List<TotalEntry> TakeAll(GlobalState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entries = Entries(state, state.Totals.Keys, state.Totals.Count);
        state.Changed.Clear();
        return entries;
    }

    private static List<TotalEntry> Entries(GlobalState state, IEnumerable<CounterKey> counters, int count)
    {
        var dirtyFor = state.SnapshotVersion + 1;
        var entries = new List<TotalEntry>(count);
        foreach (var counter in counters)
        {
            entries.Add(state.Totals.TryGetValue(counter, out var total)
                ? new TotalEntry(counter, total, state.Dirty.Contains(counter) ? dirtyFor : 0)
                : new TotalEntry(counter, 0, 0, Removed: true));
        }

        return entries;
    }

    /// <summary>Puts the kept entries back into a head read from its JSON; of several entries of one counter, the last one holds.</summary>
    public static GlobalState Restore(GlobalState head, IEnumerable<TotalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(entries);

        // A head that holds totals was kept whole, before entries: they are written as entries with the next batch.
        head.Changed.UnionWith(head.Totals.Keys);
        foreach (var entry in entries)
        {
            if (entry.Removed)
            {
                head.Totals.Remove(entry.Counter);
                head.Dirty.Remove(entry.Counter);
                continue;
            }

            head.Totals[entry.Counter] = entry.Total;
            if (entry.DirtyForVersion > head.SnapshotVersion)
            {
                head.Dirty.Add(entry.Counter);
            }
            else
            {
                head.Dirty.Remove(entry.Counter);
            }
        }

        return head;
    }

    private static JsonTypeInfo<GlobalState> HeadTypeInfo()
    {
        var policy = CounterJsonContext.Default.Options.PropertyNamingPolicy!;
        string[] leftOut = [policy.ConvertName(nameof(GlobalState.Totals)), policy.ConvertName(nameof(GlobalState.Dirty))];
        var options = new JsonSerializerOptions(CounterJsonContext.Default.Options)
        {
            TypeInfoResolver = CounterJsonContext.Default.WithAddedModifier(info =>
            {
                if (info.Type != typeof(GlobalState))
                {
                    return;
                }

                foreach (var property in info.Properties.Where(property => leftOut.Contains(property.Name)))
                {
                    property.ShouldSerialize = static (_, _) => false;
                }
            }),
        };
        return (JsonTypeInfo<GlobalState>)options.GetTypeInfo(typeof(GlobalState));
    }
}
