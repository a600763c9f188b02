using Counter.Api;
using Counter.Core;

namespace Counter.Durable.Coalescing;

/// <summary>
/// Gathers the increments sent to each shard within <see cref="CounterOptions.SignalCoalescingWindow"/> into one signal:
/// on the Azure Storage backend every signal is a queue message, so one message for many requests is what lets a Durable
/// host take thousands of increments a second. A request completes when the signal carrying its increments is enqueued,
/// and fails with that signal's failure, never another's. One per process (per Functions instance).
/// </summary>
public sealed class SignalCoalescer(TimeProvider timeProvider)
{
    private readonly Lock gate = new();
    private readonly Dictionary<EntityAddress, PendingSignal> open = [];
    private EntityAddress? latestOpened;
    private int waiting;

    /// <summary>
    /// The shard of the signal opened last, while it is still being gathered and the shard is one of
    /// <paramref name="shardCount"/>; otherwise null.
    /// </summary>
    public int? GatheringShard(int shardCount)
    {
        lock (gate)
        {
            return latestOpened is { } shard && open.ContainsKey(shard)
                && EntityAddress.ShardIndex(shard.Key) is { } index && index < shardCount
                ? index
                : null;
        }
    }

    /// <summary>
    /// Adds <paramref name="add"/> to the signal being gathered for <paramref name="shard"/>, opening one (sent by
    /// <paramref name="send"/> when the window closes or the cap is reached) if none is, and completes once it is sent.
    /// </summary>
    public Task AddAsync(EntityAddress shard, AddIncrements add, CounterOptions options, Func<AddIncrements, Task> send)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(send);
        if (Interlocked.Increment(ref waiting) > options.MaxCoalescingRequests)
        {
            Interlocked.Decrement(ref waiting);
            throw new BackendOverloadedException(
                options.SignalCoalescingWindow * 10 + TimeSpan.FromSeconds(1),
                $"{options.MaxCoalescingRequests} requests already wait for their increments to be enqueued (Counters:MaxCoalescingRequests).");
        }

        PendingSignal pending;
        var full = false;
        lock (gate)
        {
            if (!open.TryGetValue(shard, out pending!))
            {
                pending = new PendingSignal(send);
                open[shard] = pending;
                latestOpened = shard;
                _ = SendWhenWindowClosesAsync(shard, pending, options.SignalCoalescingWindow);
            }

            pending.Adds.Add(add);
            pending.IncrementCount += add.IncrementCount;
            if (pending.IncrementCount >= options.MaxIncrementsPerSignal)
            {
                open.Remove(shard);
                full = true;
            }
        }

        if (full)
        {
            _ = SendAsync(pending);
        }

        return pending.Sent.Task;
    }

    private async Task SendWhenWindowClosesAsync(EntityAddress shard, PendingSignal pending, TimeSpan window)
    {
        await Task.Delay(window, timeProvider).ConfigureAwait(false);
        lock (gate)
        {
            // Not open any more: it filled up and was sent before the window closed.
            if (!open.TryGetValue(shard, out var current) || !ReferenceEquals(current, pending))
            {
                return;
            }

            open.Remove(shard);
        }

        await SendAsync(pending).ConfigureAwait(false);
    }

    private async Task SendAsync(PendingSignal pending)
    {
        try
        {
            await pending.Send(AddIncrements.Combine(pending.Adds)).ConfigureAwait(false);
            pending.Sent.TrySetResult();
        }
        catch (Exception failure)
        {
            pending.Sent.TrySetException(failure);
        }
        finally
        {
            Interlocked.Add(ref waiting, -pending.Adds.Count);
        }
    }

    /// <summary>One signal being gathered: what it will carry, and the requests waiting for it.</summary>
    private sealed class PendingSignal(Func<AddIncrements, Task> send)
    {
        public Func<AddIncrements, Task> Send { get; } = send;

        public List<AddIncrements> Adds { get; } = [];

        public long IncrementCount { get; set; }

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
