using System.Threading.Channels;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// Group commit of everything the runtime writes: signals from callers and the entities' batches wait in one channel,
/// one loop persists whatever has gathered in one transaction (<see cref="SqliteEntityStore.CommitGroup"/>), then
/// completes each of them. Durability costs one transaction, and at most one fsync, per group rather than per request
/// and per entity, and the entities never wait for the store's lock on a thread of their own.
/// </summary>
internal sealed class GroupCommitter(SqliteEntityStore store, int maxSignalsPerCommit, Action<IReadOnlyList<StoredMessage>> committed, RuntimeMetrics metrics)
{
    private readonly Channel<PendingWrite> channel = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once <paramref name="message"/> is persisted and handed to <c>committed</c>.</summary>
    public Task CommitAsync(EntityMessage message)
    {
        var signal = new PendingSignal(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return Enqueue(signal, signal.Done.Task);
    }

    /// <summary>Completes once <paramref name="batch"/> is committed, with the ids its signals and snapshots were stored under.</summary>
    public Task<CommittedEntityBatch> CommitAsync(EntityBatch batch)
    {
        var pending = new PendingBatch(batch, new TaskCompletionSource<CommittedEntityBatch>(TaskCreationOptions.RunContinuationsAsynchronously));
        return Enqueue(pending, pending.Done.Task);
    }

    /// <summary>Takes no more writes; <see cref="RunAsync"/> ends once those already taken are committed.</summary>
    public void Complete() => channel.Writer.TryComplete();

    public async Task RunAsync()
    {
        var signals = new List<PendingSignal>(maxSignalsPerCommit);
        var batches = new List<PendingBatch>();
        var messages = new List<EntityMessage>(maxSignalsPerCommit);
        var entityBatches = new List<EntityBatch>();
        while (await channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            signals.Clear();
            batches.Clear();
            messages.Clear();
            entityBatches.Clear();
            // Batches are few (one in flight per entity), so only signals bound the size of a group.
            while (signals.Count < maxSignalsPerCommit && channel.Reader.TryRead(out var write))
            {
                switch (write)
                {
                    case PendingSignal signal:
                        signals.Add(signal);
                        messages.Add(signal.Message);
                        break;
                    case PendingBatch batch:
                        batches.Add(batch);
                        entityBatches.Add(batch.Batch);
                        break;
                }
            }

            CommittedGroup group;
            try
            {
                group = store.CommitGroup(messages, entityBatches);
                metrics.GroupCommitted(group.Signals.Count);
                committed(group.Signals);
            }
            catch (Exception exception)
            {
                signals.ForEach(signal => signal.Done.TrySetException(exception));
                batches.ForEach(batch => batch.Done.TrySetException(exception));
                continue;
            }

            signals.ForEach(signal => signal.Done.TrySetResult());
            for (var index = 0; index < batches.Count; index++)
            {
                batches[index].Done.TrySetResult(group.Batches[index]);
            }
        }
    }

    private Task Enqueue(PendingWrite write, Task done) =>
        channel.Writer.TryWrite(write) ? done : Task.FromException(new InvalidOperationException("The entity runtime is stopped."));

    private Task<T> Enqueue<T>(PendingWrite write, Task<T> done) =>
        channel.Writer.TryWrite(write) ? done : Task.FromException<T>(new InvalidOperationException("The entity runtime is stopped."));

    private abstract record PendingWrite;

    private sealed record PendingSignal(EntityMessage Message, TaskCompletionSource Done) : PendingWrite;

    private sealed record PendingBatch(EntityBatch Batch, TaskCompletionSource<CommittedEntityBatch> Done) : PendingWrite;
}
