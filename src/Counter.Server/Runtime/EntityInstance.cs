using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// One entity in memory: its live state, whether it has a committed one, and its queue of due messages.
/// At most one runner processes it at a time (<see cref="TryTake"/> hands the queue to one runner until it is empty).
/// </summary>
internal sealed class EntityInstance(EntityAddress address)
{
    private readonly Lock gate = new();
    private Queue<StoredMessage> queue = new();
    private bool running;

    public EntityAddress Address { get; } = address;

    /// <summary>The state the runner works on, null until loaded from the store; only the runner touches it.</summary>
    public object? State { get; set; }

    /// <summary>True once the store keeps a state of this entity.</summary>
    public bool HasCommittedState { get; set; }

    /// <summary>How many total entries the store keeps for this entity (see <see cref="RuntimeJson.ToStore"/>).</summary>
    public long KeptTotals { get; set; }

    /// <summary>Queues a message; true when the caller must start a runner for this entity.</summary>
    public bool Enqueue(StoredMessage message)
    {
        lock (gate)
        {
            queue.Enqueue(message);
            if (running)
            {
                return false;
            }

            running = true;
            return true;
        }
    }

    /// <summary>The next batch, or false (and the runner ends) when the queue is empty.</summary>
    public bool TryTake(int max, out List<StoredMessage> batch)
    {
        lock (gate)
        {
            batch = new List<StoredMessage>(Math.Min(max, queue.Count));
            while (batch.Count < max && queue.TryDequeue(out var message))
            {
                batch.Add(message);
            }

            running = batch.Count > 0;
            return running;
        }
    }

    /// <summary>Puts a batch that could not be committed back in front of the queue, to be processed again.</summary>
    public void Requeue(List<StoredMessage> batch)
    {
        lock (gate)
        {
            var requeued = new Queue<StoredMessage>(batch);
            foreach (var message in queue)
            {
                requeued.Enqueue(message);
            }

            queue = requeued;
        }
    }
}
