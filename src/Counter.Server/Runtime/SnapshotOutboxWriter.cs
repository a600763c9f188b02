using System.Threading.Channels;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// Delivers snapshots from the durable outbox to the <see cref="ISnapshotStore"/>, oldest first, retrying a failing
/// write with exponential backoff, and forgets each one only once the store has it. Delivery is at least once, which
/// the store's version check makes harmless. A snapshot that arrives while nothing else waits is written whole from
/// the rows it was made of; any other, and one whose write failed, is read back from the outbox and written in chunks
/// of at most <see cref="MaxRowsPerWrite"/> rows, resuming at the chunk that failed. So a backlog (the snapshot store
/// down for an hour) costs disk, not memory, and the steady state costs no reading back.
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

    private readonly Channel<Waiting> channel = Channel.CreateUnbounded<Waiting>(new UnboundedChannelOptions { SingleReader = true });
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

    /// <summary>
    /// Queues the committed outbox entry <paramref name="id"/> for delivery, with <paramref name="snapshot"/>, its rows,
    /// when this process still has them; they are kept only if nothing else waits.
    /// </summary>
    public void Add(long id, SnapshotBatch? snapshot)
    {
        var nothingWaits = backlog.Count == 0;
        backlog.Add(1);
        channel.Writer.TryWrite(new Waiting(id, nothingWaits ? snapshot : null));
    }

    public Task WhenDrainedAsync(CancellationToken cancellationToken) => backlog.WhenZeroAsync(cancellationToken);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var waiting in channel.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await DeliverAsync(waiting, stopping).ConfigureAwait(false);
                backlog.Add(-1);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // What is left stays in the outbox and is delivered after the next start.
        }
    }

    /// <summary>Writes the entry whole or chunk by chunk, each step retried until it succeeds, then forgets it.</summary>
    private async Task DeliverAsync(Waiting waiting, CancellationToken stopping)
    {
        var held = waiting.Snapshot;
        var nextPart = 0;
        var delay = options.RetryMinDelay;
        while (true)
        {
            try
            {
                // The rows in memory are the whole snapshot: once written, no part of the entry is left to read back.
                var chunk = held is null ? store.ReadOutbox(waiting.Id, nextPart, MaxRowsPerWrite) : new OutboxChunk(held, int.MaxValue);
                if (chunk is null)
                {
                    store.DeleteOutbox(waiting.Id);
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

                LogWriteFailed(logger, exception, waiting.Id, delay);
                await Task.Delay(delay, timeProvider, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RetryMaxDelay.Ticks));
            }
            finally
            {
                held = null;
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

    /// <summary>An outbox entry waiting for delivery, with its rows while this process holds them.</summary>
    private sealed record Waiting(long Id, SnapshotBatch? Snapshot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering outbox entry {OutboxId} to the snapshot store failed; retrying in {Delay}.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, long outboxId, TimeSpan delay);
}
