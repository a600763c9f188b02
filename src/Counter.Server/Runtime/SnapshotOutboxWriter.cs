using System.Threading.Channels;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// Delivers snapshots from the durable outbox to the <see cref="ISnapshotStore"/>, oldest first, retrying a failing
/// write with exponential backoff, and forgets each one only once the store has it. Delivery is at least once, which
/// the store's version check makes harmless.
/// </summary>
internal sealed partial class SnapshotOutboxWriter(
    SqliteEntityStore store,
    ISnapshotStore snapshots,
    TimeProvider timeProvider,
    RuntimeOptions options,
    RuntimeMetrics metrics,
    ILogger logger)
{
    private readonly Channel<OutboxEntry> channel = Channel.CreateUnbounded<OutboxEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WorkCounter backlog = new();
    private readonly Lock gate = new();
    private int consecutiveFailures;
    private string? lastError;
    private DateTimeOffset? lastFailureAt;

    public SnapshotOutboxStatus Status
    {
        get
        {
            lock (gate)
            {
                return new SnapshotOutboxStatus((int)backlog.Count, consecutiveFailures, lastError, lastFailureAt);
            }
        }
    }

    public void Add(OutboxEntry entry)
    {
        backlog.Add(1);
        channel.Writer.TryWrite(entry);
    }

    public Task WhenDrainedAsync(CancellationToken cancellationToken) => backlog.WhenZeroAsync(cancellationToken);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await DeliverAsync(entry, stopping).ConfigureAwait(false);
                backlog.Add(-1);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // What is left stays in the outbox and is delivered after the next start.
        }
    }

    private async Task DeliverAsync(OutboxEntry entry, CancellationToken stopping)
    {
        var delay = options.RetryMinDelay;
        while (true)
        {
            try
            {
                await snapshots.WriteAsync(entry.Batch, stopping).ConfigureAwait(false);
                metrics.SnapshotWritten(entry.Batch.Rows.Count);
                store.DeleteOutbox(entry.Id);
                metrics.OutboxEntryDeleted();
                lock (gate)
                {
                    consecutiveFailures = 0;
                    lastError = null;
                }

                return;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                lock (gate)
                {
                    consecutiveFailures++;
                    lastError = exception.Message;
                    lastFailureAt = timeProvider.GetUtcNow();
                }

                LogWriteFailed(logger, exception, entry.Batch.Version, delay);
                await Task.Delay(delay, timeProvider, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RetryMaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing snapshot {Version} to the snapshot store failed; retrying in {Delay}.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long version, TimeSpan delay);
}
