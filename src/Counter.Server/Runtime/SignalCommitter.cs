using System.Threading.Channels;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// Group commit: concurrent signals wait in a channel, one loop persists whatever has gathered in one transaction, then
/// completes each caller. Durability costs one transaction per group, not per request.
/// </summary>
internal sealed class SignalCommitter(SqliteEntityStore store, int maxPerCommit, Action<IReadOnlyList<StoredMessage>> committed, RuntimeMetrics metrics)
{
    private readonly Channel<PendingSignal> channel = Channel.CreateUnbounded<PendingSignal>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once <paramref name="message"/> is persisted and handed to <c>committed</c>.</summary>
    public Task CommitAsync(EntityMessage message)
    {
        var signal = new PendingSignal(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return channel.Writer.TryWrite(signal)
            ? signal.Done.Task
            : Task.FromException(new InvalidOperationException("The entity runtime is stopped."));
    }

    /// <summary>Takes no more signals; <see cref="RunAsync"/> ends once those already taken are committed.</summary>
    public void Complete() => channel.Writer.TryComplete();

    public async Task RunAsync()
    {
        var group = new List<PendingSignal>(maxPerCommit);
        var messages = new List<EntityMessage>(maxPerCommit);
        while (await channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            messages.Clear();
            while (group.Count < maxPerCommit && channel.Reader.TryRead(out var signal))
            {
                group.Add(signal);
                messages.Add(signal.Message);
            }

            try
            {
                var stored = store.Append(messages);
                metrics.SignalsCommitted(stored.Count);
                committed(stored);
            }
            catch (Exception exception)
            {
                foreach (var signal in group)
                {
                    signal.Done.TrySetException(exception);
                }

                continue;
            }

            foreach (var signal in group)
            {
                signal.Done.TrySetResult();
            }
        }
    }

    private sealed record PendingSignal(EntityMessage Message, TaskCompletionSource Done);
}
