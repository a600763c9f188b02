using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Counter.DurableHost.TaskHub;

/// <summary>
/// The serialized state of each entity in an extended session, as its last batch left it. Within a session DurableTask.Core
/// hands the middleware an entity's state only with the session's first batch and expects it to keep the state itself
/// for the batches after; the SDK's shim keeps nothing, so it is kept here. Core runs one batch of an entity at a time,
/// so an entry is never used by two batches at once.
/// </summary>
internal sealed class ExtendedSessionStates(IOptions<DurableOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> states = new(StringComparer.Ordinal);
    private long lastSweep = time.GetTimestamp();

    /// <summary>
    /// Longer than a live session goes without a batch, so that only the states of sessions that ended are dropped; a
    /// state dropped too early only makes its session's next batch fail and be delivered again, never lose a count.
    /// </summary>
    private TimeSpan KeepUnused => options.Value.ExtendedSessionIdleTimeout * 2;

    public void Keep(string instanceId, string? state)
    {
        states[instanceId] = new Entry(state, time.GetTimestamp());
        SweepNowAndThen();
    }

    public bool TryGet(string instanceId, out string? state)
    {
        var found = states.TryGetValue(instanceId, out var entry);
        state = entry?.State;
        return found;
    }

    public void Forget(string instanceId) => states.TryRemove(instanceId, out _);

    /// <summary>Drops the states of sessions that ended (Core does not say when one does), at most once per <see cref="KeepUnused"/>.</summary>
    private void SweepNowAndThen()
    {
        var sweptAt = Interlocked.Read(ref lastSweep);
        if (time.GetElapsedTime(sweptAt) < KeepUnused || Interlocked.CompareExchange(ref lastSweep, time.GetTimestamp(), sweptAt) != sweptAt)
        {
            return;
        }

        foreach (var (instanceId, entry) in states)
        {
            if (time.GetElapsedTime(entry.KeptAt) > KeepUnused)
            {
                states.TryRemove(new KeyValuePair<string, Entry>(instanceId, entry));
            }
        }
    }

    private sealed record Entry(string? State, long KeptAt);
}
