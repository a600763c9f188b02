namespace Counter.Core.Tests.Global;

/// <summary>
/// The global debounce counts from when a flush was due, so a merge that waited in a queue (or whose shard's timer fired
/// late) does not wait a full debounce again, with a floor that keeps a backlog from turning every merge into a snapshot.
/// </summary>
public sealed class GlobalSnapshotFromFlushDueTests
{
    private static readonly CounterOptions Options = Given.Options(globalMinWrites: 1_000, globalDelaySeconds: 5);

    private static ShardFlush FlushDueAt(long sequence, double dueSeconds, string counter = "a") =>
        Given.Flush("0", sequence, (counter, 1)) with { DueAt = Given.At(dueSeconds) };

    [Fact]
    public void A_merge_that_waited_in_the_queue_is_snapshotted_the_debounce_after_its_flush_was_due()
    {
        var state = new GlobalState();
        var context = Given.Global(Options, Given.At(13));

        var step = GlobalOperations.ApplyMerge(state, FlushDueAt(1, dueSeconds: 10), context);

        var (tick, at) = Effects.SingleTimer<GlobalState, SnapshotTick>(step, context);
        Assert.Equal(new SnapshotTick(1), tick);
        Assert.Equal(Given.At(15), at);
    }

    [Fact]
    public void A_merge_later_than_the_debounce_waits_the_shortest_wait_not_nothing()
    {
        var state = new GlobalState();
        var context = Given.Global(Options, Given.At(30));

        var step = GlobalOperations.ApplyMerge(state, FlushDueAt(1, dueSeconds: 10), context);

        var (_, at) = Effects.SingleTimer<GlobalState, SnapshotTick>(step, context);
        Assert.Equal(TimeSpan.FromSeconds(1), GlobalOperations.ShortestSnapshotWait(Options));
        Assert.Equal(Given.At(31), at);
    }

    [Fact]
    public void A_due_time_in_the_future_counts_from_the_merge()
    {
        var state = new GlobalState();
        var context = Given.Global(Options, Given.At(10));

        var step = GlobalOperations.ApplyMerge(state, FlushDueAt(1, dueSeconds: 12), context);

        Assert.Equal(Given.At(15), Effects.SingleTimer<GlobalState, SnapshotTick>(step, context).At);
    }

    [Fact]
    public void A_merge_due_earlier_than_the_armed_timer_by_more_than_the_shortest_wait_moves_it_earlier()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, FlushDueAt(1, dueSeconds: 10), Given.Global(Options, Given.At(10)));
        var context = Given.Global(Options, Given.At(11));

        var step = GlobalOperations.ApplyMerge(state, FlushDueAt(2, dueSeconds: 8, counter: "b"), context);

        var (tick, at) = Effects.SingleTimer<GlobalState, SnapshotTick>(step, context);
        Assert.Equal(new SnapshotTick(1), tick);
        Assert.Equal(Given.At(13), at);
        Assert.Equal(Given.At(13), state.SnapshotDueAt);
        var snapshot = Effects.SingleSnapshot(GlobalOperations.ApplyTick(state, tick, Given.Global(Options, at)));
        Assert.Equal([Given.Key("a"), Given.Key("b")], snapshot.Rows.Select(row => row.Counter));
        Assert.Empty(GlobalOperations.ApplyTick(state, new SnapshotTick(1), Given.Global(Options, Given.At(15))).Effects);
    }

    [Fact]
    public void A_merge_due_earlier_than_the_armed_timer_by_less_than_the_shortest_wait_leaves_it()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, FlushDueAt(1, dueSeconds: 10), Given.Global(Options, Given.At(10)));

        var step = GlobalOperations.ApplyMerge(state, FlushDueAt(2, dueSeconds: 9.5, counter: "b"), Given.Global(Options, Given.At(11)));

        Assert.Empty(step.Effects);
        Assert.Equal(Given.At(15), state.SnapshotDueAt);
    }

    [Fact]
    public void A_merge_applied_after_the_armed_timer_came_due_snapshots_at_once()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, FlushDueAt(1, dueSeconds: 10), Given.Global(Options, Given.At(10)));

        var step = GlobalOperations.ApplyMerge(state, FlushDueAt(2, dueSeconds: 15, counter: "b"), Given.Global(Options, Given.At(15.5)));

        Assert.Equal([Given.Key("a"), Given.Key("b")], Effects.SingleSnapshot(step).Rows.Select(row => row.Counter));
        Assert.Null(state.SnapshotDueAt);
    }

    [Fact]
    public void Under_a_backlog_longer_than_the_debounce_snapshots_come_no_more_often_than_the_shortest_wait()
    {
        var state = new GlobalState();
        var snapshots = 0;
        var merges = 0;

        // Ten merges a second for a minute, each flushed 20 s before it is merged; ticks arrive 3 s late or not at all.
        for (var tenth = 0; tenth < 600; tenth++)
        {
            var now = Given.At(100 + (tenth / 10.0));
            var step = GlobalOperations.ApplyMerge(state, FlushDueAt(++merges, dueSeconds: 80 + (tenth / 10.0), counter: $"c{tenth}"), Given.Global(Options, now));
            snapshots += step.Effects.Count(effect => effect is SnapshotEffect);
        }

        Assert.InRange(snapshots, 50, 61);
    }
}
