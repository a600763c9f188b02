namespace Counter.Testing;

/// <summary>A clock that moves only when a test calls <see cref="Advance"/>; timers due by then fire during that call.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Whether a timer is armed: code under test that waits on this clock has reached its wait.</summary>
    public bool HasTimers
    {
        get
        {
            lock (gate)
            {
                return timers.Count > 0;
            }
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (gate)
        {
            target = now + by;
        }

        while (NextDue(target) is { } timer)
        {
            timer.Fire();
        }

        lock (gate)
        {
            now = target;
        }
    }

    private ManualTimer? NextDue(DateTimeOffset target)
    {
        lock (gate)
        {
            var next = timers.Where(timer => timer.DueAt <= target).MinBy(timer => timer.DueAt);
            if (next is not null && next.DueAt > now)
            {
                now = next.DueAt!.Value;
            }

            return next;
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                this.period = period;
                clock.timers.Remove(this);
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.now + dueTime;
                if (DueAt is not null)
                {
                    clock.timers.Add(this);
                }
            }

            return true;
        }

        public void Fire()
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
                DueAt = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : DueAt + period;
                if (DueAt is not null)
                {
                    clock.timers.Add(this);
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
                DueAt = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
