using System.Threading.Channels;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// Delivers snapshots from the durable outbox to the <see cref="ISnapshotStore"/>, oldest first, retrying a failing
/// write with exponential backoff, and forgets each one only once the store has it. Delivery is at least once, which
/// the store's version check makes harmless. Only outbox ids wait in memory: each snapshot is read back from the outbox
/// and written in chunks of at most <see cref="MaxRowsPerWrite"/> rows, so neither a snapshot of many counters nor a
/// backlog of snapshots (the snapshot store down for an hour) is held in memory, and rows live only while written.
/// </summary>
internal sealed partial class SnapshotOutboxWriter(
    SqliteEntityStore store,
    ISnapshotStore snapshots,
    TimeProvider timeProvider,
    RuntimeOptions options,
    RuntimeMetrics metrics,
    ILogger logger)
{
    /// <summary>Rows a snapshot-store write carries at most: 10 outbox parts, one transaction and fsync per 5,000 rows in SQLite.</summary>
    public const int MaxRowsPerWrite = 10 * SqliteEntityStore.MaxRowsPerOutboxPart;

    private readonly Channel<long> channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
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

    /// <summary>Queues the outbox entry <paramref name="id"/>, committed, for delivery.</summary>
    public void Add(long id)
    {
        backlog.Add(1);
        channel.Writer.TryWrite(id);
    }

    public Task WhenDrainedAsync(CancellationToken cancellationToken) => backlog.WhenZeroAsync(cancellationToken);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var id in channel.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await DeliverAsync(id, stopping).ConfigureAwait(false);
                backlog.Add(-1);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // What is left stays in the outbox and is delivered after the next start.
        }
    }

    /// <summary>Writes the entry chunk by chunk, each step retried until it succeeds, then forgets it.</summary>
    private async Task DeliverAsync(long id, CancellationToken stopping)
    {
        var nextPart = 0;
        var delay = options.RetryMinDelay;
        while (true)
        {
            try
            {
                var chunk = store.ReadOutbox(id, nextPart, MaxRowsPerWrite);
                if (chunk is null)
                {
                    store.DeleteOutbox(id);
                    metrics.OutboxEntryDeleted();
                    Succeeded();
                    return;
                }

                await snapshots.WriteAsync(chunk.Snapshot, stopping).ConfigureAwait(false);
                metrics.SnapshotWritten(chunk.Snapshot.Rows.Count);
                nextPart = chunk.NextPart;
                delay = options.RetryMinDelay;
                Succeeded();
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                lock (gate)
                {
                    consecutiveFailures++;
                    lastError = exception.Message;
                    lastFailureAt = timeProvider.GetUtcNow();
                }

                LogWriteFailed(logger, exception, id, delay);
                await Task.Delay(delay, timeProvider, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RetryMaxDelay.Ticks));
            }
        }
    }

    private void Succeeded()
    {
        lock (gate)
        {
            consecutiveFailures = 0;
            lastError = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering outbox entry {OutboxId} to the snapshot store failed; retrying in {Delay}.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long outboxId, TimeSpan delay);
}
