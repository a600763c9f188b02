using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>
/// Persisted messages with a due time, held until then. One timer, from the injected <see cref="TimeProvider"/>, is
/// armed for the earliest; messages already due (e.g. after a restart) are delivered at once.
/// </summary>
internal sealed class ScheduledSignals : IDisposable
{
    private readonly Lock gate = new();
    private readonly PriorityQueue<StoredMessage, (DateTimeOffset DueAt, long Id)> waiting = new();
    private readonly TimeProvider timeProvider;
    private readonly Action<StoredMessage> deliver;
    private readonly ITimer timer;
    private bool stopped;

    public ScheduledSignals(TimeProvider timeProvider, Action<StoredMessage> deliver)
    {
        this.timeProvider = timeProvider;
        this.deliver = deliver;
        timer = timeProvider.CreateTimer(_ => DeliverDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return waiting.Count;
            }
        }
    }

    public void Add(StoredMessage message)
    {
        var dueAt = message.Message.DueAt ?? throw new ArgumentException("The message has no due time.", nameof(message));
        lock (gate)
        {
            waiting.Enqueue(message, (dueAt, message.Id));
        }

        DeliverDue();
    }

    /// <summary>Delivers nothing more; what waits stays persisted and is scheduled again on the next start.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            stopped = true;
            waiting.Clear();
        }

        timer.Dispose();
    }

    private void DeliverDue()
    {
        var due = new List<StoredMessage>();
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            var now = timeProvider.GetUtcNow();
            while (waiting.TryPeek(out var message, out var key) && key.DueAt <= now)
            {
                waiting.Dequeue();
                due.Add(message);
            }

            var wait = waiting.TryPeek(out _, out var next) ? next.DueAt - now : Timeout.InfiniteTimeSpan;
            timer.Change(wait, Timeout.InfiniteTimeSpan);
        }

        foreach (var message in due)
        {
            deliver(message);
        }
    }
}
