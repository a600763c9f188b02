using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Counter.Core;

namespace Counter.Durable;

/// <summary>
/// Numbers this process's adds to each shard. The Azure Storage backend delivers a signal again when a process dies
/// between keeping an entity's new state and deleting the messages that made it (it does not deduplicate client
/// signals); numbered, a shard applies each add once (see <see cref="SenderProgress"/>). One per process: its sender id
/// is new at every start.
/// </summary>
public sealed class SignalSequencer
{
    private readonly ConcurrentDictionary<EntityAddress, StrongBox<long>> next = new();

    public string Sender { get; } = Guid.NewGuid().ToString("N");

    /// <summary><paramref name="add"/> with this process's sender id and its next sequence number to <paramref name="shard"/>.</summary>
    public AddIncrements Number(EntityAddress shard, AddIncrements add)
    {
        ArgumentNullException.ThrowIfNull(add);
        var counter = next.GetOrAdd(shard, static _ => new StrongBox<long>());
        return add with { Sender = Sender, Sequence = Interlocked.Increment(ref counter.Value) };
    }
}
