using System.Threading.Channels;
using Counter.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// Carries strict counters' committed values to the read path (what <c>GET /tenants/{tenant}</c> lists) in the
/// background, in the order they were committed, many changes to one snapshot write. The committed value is the
/// truth, read exactly by <c>GET /tenants/{tenant}/{counter}</c>; the mirror is a copy, so a strict change is answered
/// once committed, without waiting for it. Awaiting each mirror write in the request put a second group commit (a
/// second fsync, or a second Table transaction) after every strict change and held strict incs to 0.35 of the durable
/// baseline (bench/README.md). Bounded: when <see cref="Capacity"/> changes wait, a change waits for room. Best effort,
/// as before: a write that fails is logged and dropped, mended by the counter's next change; what is queued at stop is
/// written before the host ends (within its shutdown timeout). A tenant's rows are removed through the same queue
/// (<see cref="RemoveTenantAsync"/>), so that no mirror of a change made before the removal lands after it. Changes
/// gather for <see cref="TenantOptions.StrictMirrorInterval"/> before each write (not when the queue is half full, a
/// tenant's removal waits or the host stops): written as they came, the copies
/// were an upsert per change and a commit (an fsync) per few changes, about a sixth of a strict inc's CPU under load
/// (bench/README.md); gathered, a counter changed a thousand times in the interval is one row.
/// </summary>
public sealed partial class StrictMirror(ISnapshotStore snapshots, IOptions<TenantOptions> options, TimeProvider time, ILogger<StrictMirror> logger) : BackgroundService
{
    /// <summary>Changes waiting at most: at the longest interval (1 s) room for ten thousand a second, more than a host answers here.</summary>
    public const int Capacity = 10_000;

    /// <summary>Rows of one snapshot write at most: the stores split them per tenant and transaction themselves.</summary>
    private const int MaxRowsPerWrite = 1_000;

    /// <summary>Completed to end the gathering wait early; replaced each time it was.</summary>
    private TaskCompletionSource wake = NewWake();

    private readonly Channel<Work> queued = Channel.CreateBounded<Work>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Queues <paramref name="batch"/> for the read path; written at once, and awaited, once the mirror has stopped.</summary>
    public async ValueTask MirrorAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var work = new Work(batch, null, null);
        if (queued.Writer.TryWrite(work))
        {
            if (queued.Reader.Count >= Capacity / 2)
            {
                Wake();
            }

            return;
        }

        Wake();
        try
        {
            await queued.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await DoAsync(work).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes every row of <paramref name="tenant"/> from the read path after the changes queued before, and completes
    /// once removed; a failure of the store is thrown here, as the removal is part of the request that asked for it.
    /// </summary>
    public async Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var work = new Work(null, tenant, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await queued.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
            Wake();
        }
        catch (ChannelClosedException)
        {
            await DoAsync(work).ConfigureAwait(false);
        }

        await work.Done!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queued.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // A host stopped right after it started may cancel the background task before it ever ran. Stopped, nothing gathers.
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            await DrainAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Does what is queued, oldest first, until stopped and drained: the rows of consecutive changes as one batch (the
    /// latest row of each counter; every row keeps its own version, so a store never puts an older value over a newer
    /// one), and a change that removes counters, or a tenant's removal, on its own after the rows queued before it, as
    /// a removal applies to the rows older than it.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DrainAsync(stoppingToken);

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        var reader = queued.Reader;
        var rows = new Dictionary<CounterKey, SnapshotRow>();
        var interval = options.Value.StrictMirrorInterval;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (interval > TimeSpan.Zero)
            {
                await GatherAsync(interval, stoppingToken).ConfigureAwait(false);
            }

            // What came in the interval goes out now, however many writes it takes; what comes meanwhile gathers for the
            // next one. Draining until the queue was empty never let changes gather under a steady load: each write found
            // the next few hundred waiting, and the mirror committed 40 times a second where 4 were due (strace, bench/README.md).
            var due = reader.Count;
            while (due > 0)
            {
                while (due > 0 && rows.Count < MaxRowsPerWrite && reader.TryPeek(out var next))
                {
                    if (next.Batch is not { Removed: null or { Count: 0 } } batch)
                    {
                        if (rows.Count > 0)
                        {
                            break;
                        }

                        reader.TryRead(out _);
                        due--;
                        await DoAsync(next).ConfigureAwait(false);
                        continue;
                    }

                    reader.TryRead(out _);
                    due--;
                    foreach (var row in batch.Rows)
                    {
                        if (!rows.TryGetValue(row.Counter, out var held) || held.Version < row.Version)
                        {
                            rows[row.Counter] = row;
                        }
                    }
                }

                if (rows.Count > 0)
                {
                    SnapshotRow[] ordered = [.. rows.Values.OrderBy(static row => row.Counter)];
                    rows.Clear();
                    await DoAsync(new Work(new SnapshotBatch(ordered.Max(static row => row.Version), ordered.Max(static row => row.UpdatedAt), ordered), null, null)).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Lets changes gather for <paramref name="interval"/>, unless something cannot wait: the queue half full (its
    /// writers would soon wait for room), a tenant's removal (its request waits for it) or the host stopping.
    /// </summary>
    private async Task GatherAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        var signal = Volatile.Read(ref wake);
        if (!signal.Task.IsCompleted && queued.Reader.Count < Capacity / 2)
        {
            using var gathering = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(Task.Delay(interval, time, gathering.Token), signal.Task).ConfigureAwait(false);
            await gathering.CancelAsync().ConfigureAwait(false);
        }

        // A new signal before the queue is read: whatever wakes it from now on is read after it, in this pass or the next.
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref wake, NewWake(), signal);
        }
    }

    private void Wake() => Volatile.Read(ref wake).TrySetResult();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task DoAsync(Work work)
    {
        try
        {
            if (work.Batch is { } batch)
            {
                await snapshots.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await snapshots.RemoveTenantAsync(work.RemovedTenant!, CancellationToken.None).ConfigureAwait(false);
            }

            work.Done?.TrySetResult();
        }
        catch (Exception exception) when (work.Done is not null)
        {
            work.Done.TrySetException(exception);
        }
#pragma warning disable CA1031 // The mirror is a copy: whatever failed it, the next change of each counter writes it again, and the host keeps running.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogMirrorFailed(logger, exception, work.Batch!.Rows.Count, work.Batch.Removed?.Count ?? 0);
        }
    }

    /// <summary>A change's rows (and removals) for the read path, or a tenant whose rows all go, with its requester waiting on <see cref="Done"/>.</summary>
    private sealed record Work(SnapshotBatch? Batch, string? RemovedTenant, TaskCompletionSource? Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strict counters' values did not reach the read path ({Rows} rows, {Removed} removals); each counter's next change writes it again.")]
    private static partial void LogMirrorFailed(ILogger logger, Exception exception, int rows, int removed);
}
