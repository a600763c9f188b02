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
/// baseline (bench/README.md). Bounded: when <see cref="Capacity"/> counters wait, a change waits for room. Best effort,
/// as before: a write that fails is logged and dropped, mended by the counter's next change; what is queued at stop is
/// written before the host ends (within its shutdown timeout). A tenant's rows are removed through the same queue
/// (<see cref="RemoveTenantAsync"/>), so that no mirror of a change made before the removal lands after it. Changes
/// gather for <see cref="TenantOptions.StrictMirrorInterval"/> before each write (not when the queue is half full, a
/// tenant's removal waits or the host stops): written as they came, the copies
/// were an upsert per change and a commit (an fsync) per few changes, about a sixth of a strict inc's CPU under load
/// (bench/README.md). Each counter's latest row is kept as it arrives, not each change, so what waits is bounded by the
/// counters changed rather than by the rate of changes: a counter changed a thousand times in the interval is one row
/// in memory and one in the write.
/// </summary>
public sealed partial class StrictMirror(ISnapshotStore snapshots, IOptions<TenantOptions> options, TimeProvider time, ILogger<StrictMirror> logger) : BackgroundService
{
    /// <summary>Counters (and removals) waiting at most: at the longest interval (1 s), far more than the counters one host changes.</summary>
    public const int Capacity = 10_000;

    /// <summary>Rows of one snapshot write at most: the stores split them per tenant and transaction themselves.</summary>
    private const int MaxRowsPerWrite = 1_000;

    private readonly Lock gate = new();

    /// <summary>What the next pass writes, oldest first: rows gathered, changes that remove counters, tenants' removals.</summary>
    private List<Work> waiting = [];

    /// <summary>The rows of the newest entry of <see cref="waiting"/>, while changes without removals still join it.</summary>
    private Dictionary<CounterKey, SnapshotRow>? gathering;

    /// <summary>Rows and removals in <see cref="waiting"/>.</summary>
    private int waitingCount;

    private bool stopped;

    /// <summary>Completed when something is queued for a mirror waiting for work.</summary>
    private TaskCompletionSource? arrived;

    /// <summary>Completed when a pass takes what waits, for changes that found <see cref="Capacity"/> waiting.</summary>
    private TaskCompletionSource? room;

    /// <summary>Completed to end the gathering wait early; replaced each time it was.</summary>
    private TaskCompletionSource wake = NewSignal();

    /// <summary>Queues <paramref name="batch"/> for the read path; written at once, and awaited, once the mirror has stopped.</summary>
    public async ValueTask MirrorAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        while (true)
        {
            Task? full = null;
            var halfFull = false;
            lock (gate)
            {
                if (stopped)
                {
                    break;
                }

                if (waitingCount < Capacity)
                {
                    Queue(batch);
                    halfFull = waitingCount >= Capacity / 2;
                }
                else
                {
                    room ??= NewSignal();
                    full = room.Task;
                }
            }

            if (full is null)
            {
                if (halfFull)
                {
                    Wake();
                }

                return;
            }

            Wake();
            await full.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await DoAsync(new Work(null, batch, null, null)).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes every row of <paramref name="tenant"/> from the read path after the changes queued before, and completes
    /// once removed; a failure of the store is thrown here, as the removal is part of the request that asked for it.
    /// </summary>
    public async Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var work = new Work(null, null, tenant, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool queued;
        lock (gate)
        {
            queued = !stopped;
            if (queued)
            {
                Enqueue(work, 1);
            }
        }

        if (queued)
        {
            Wake();
        }
        else
        {
            await DoAsync(work).ConfigureAwait(false);
        }

        await work.Done!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            stopped = true;
            Complete(ref arrived);
            Complete(ref room);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // A host stopped right after it started may cancel the background task before it ever ran. Stopped, nothing gathers.
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            await DrainAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes what waits, oldest first, until stopped and drained: the rows gathered (the latest row of each counter;
    /// every row keeps its own version, so a store never puts an older value over a newer one), and a change that
    /// removes counters, or a tenant's removal, on its own after the rows gathered before it, as a removal applies to
    /// the rows older than it.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DrainAsync(stoppingToken);

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.StrictMirrorInterval;
        while (true)
        {
            Task? nothingYet = null;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    if (stopped)
                    {
                        return;
                    }

                    arrived ??= NewSignal();
                    nothingYet = arrived.Task;
                }
            }

            if (nothingYet is not null)
            {
                await nothingYet.ConfigureAwait(false);
                continue;
            }

            if (interval > TimeSpan.Zero)
            {
                await GatherAsync(interval, stoppingToken).ConfigureAwait(false);
            }

            // What came in the interval goes out now, however many writes it takes; what comes meanwhile gathers for the
            // next one. Draining until nothing waited never let changes gather under a steady load: each write found the
            // next few hundred waiting, and the mirror committed 40 times a second where 4 were due (strace, bench/README.md).
            List<Work> due;
            lock (gate)
            {
                due = waiting;
                waiting = [];
                gathering = null;
                waitingCount = 0;
                Complete(ref room);
            }

            foreach (var work in due)
            {
                if (work.Rows is { } rows)
                {
                    // A write that fails loses only its own rows.
                    foreach (var batch in InWrites(rows))
                    {
                        await DoAsync(new Work(null, batch, null, null)).ConfigureAwait(false);
                    }
                }
                else
                {
                    await DoAsync(work).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Under <see cref="gate"/>: adds <paramref name="batch"/> to what waits.</summary>
    private void Queue(SnapshotBatch batch)
    {
        if (batch.Removed is { Count: > 0 } removed)
        {
            Enqueue(new Work(null, batch, null, null), batch.Rows.Count + removed.Count);
            return;
        }

        if (gathering is null)
        {
            gathering = [];
            Enqueue(new Work(gathering, null, null, null), 0);
        }

        // By index: a foreach over the interface allocates an enumerator for every change.
        for (var index = 0; index < batch.Rows.Count; index++)
        {
            var row = batch.Rows[index];
            if (!gathering.TryGetValue(row.Counter, out var held))
            {
                gathering.Add(row.Counter, row);
                waitingCount++;
            }
            else if (held.Version < row.Version)
            {
                gathering[row.Counter] = row;
            }
        }
    }

    /// <summary>Under <see cref="gate"/>: appends <paramref name="work"/>; a removal ends the gathering before it.</summary>
    private void Enqueue(Work work, int count)
    {
        if (work.Rows is null)
        {
            gathering = null;
        }

        waiting.Add(work);
        waitingCount += count;
        Complete(ref arrived);
    }

    /// <summary>
    /// Lets changes gather for <paramref name="interval"/>, unless something cannot wait: half the capacity used (its
    /// writers would soon wait for room), a tenant's removal (its request waits for it) or the host stopping.
    /// </summary>
    private async Task GatherAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        var signal = Volatile.Read(ref wake);
        if (!signal.Task.IsCompleted && Volatile.Read(ref waitingCount) < Capacity / 2)
        {
            using var gathered = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(Task.Delay(interval, time, gathered.Token), signal.Task).ConfigureAwait(false);
            await gathered.CancelAsync().ConfigureAwait(false);
        }

        // A new signal before what waits is taken: whatever wakes it from now on is taken after it, in this pass or the next.
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref wake, NewSignal(), signal);
        }
    }

    private void Wake() => Volatile.Read(ref wake).TrySetResult();

    private static void Complete(ref TaskCompletionSource? signal)
    {
        signal?.TrySetResult();
        signal = null;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>The rows gathered, in counter order, as writes of <see cref="MaxRowsPerWrite"/> rows at most.</summary>
    private static IEnumerable<SnapshotBatch> InWrites(Dictionary<CounterKey, SnapshotRow> gathered)
    {
        var rows = new SnapshotRow[gathered.Count];
        gathered.Values.CopyTo(rows, 0);
        Array.Sort(rows, static (left, right) => left.Counter.CompareTo(right.Counter));
        for (var start = 0; start < rows.Length; start += MaxRowsPerWrite)
        {
            var chunk = new ArraySegment<SnapshotRow>(rows, start, Math.Min(MaxRowsPerWrite, rows.Length - start));
            long version = 0;
            var at = DateTimeOffset.MinValue;
            foreach (var row in chunk)
            {
                version = Math.Max(version, row.Version);
                at = row.UpdatedAt > at ? row.UpdatedAt : at;
            }

            yield return new SnapshotBatch(version, at, chunk);
        }
    }

    /// <summary>
    /// What waits for the read path: the rows gathered from changes, a change that removes counters, or a tenant whose
    /// rows all go, with its requester waiting on <see cref="Done"/>.
    /// </summary>
    private sealed record Work(Dictionary<CounterKey, SnapshotRow>? Rows, SnapshotBatch? Batch, string? RemovedTenant, TaskCompletionSource? Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strict counters' values did not reach the read path ({Rows} rows, {Removed} removals); each counter's next change writes it again.")]
    private static partial void LogMirrorFailed(ILogger logger, Exception exception, int rows, int removed);
}
