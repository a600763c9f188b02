namespace Counter.Core.Tests.Global;

public sealed class GlobalSnapshotTimerTests
{
    private static readonly CounterOptions Options = Given.Options(globalMinWrites: 3, globalDelaySeconds: 5);

    [Fact]
    public void The_first_change_after_a_snapshot_arms_a_timer_for_the_next_version()
    {
        var state = new GlobalState();
        var context = Given.Global(Options, Given.At(10));

        var step = GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), context);

        var (tick, at) = Effects.SingleTimer<GlobalState, SnapshotTick>(step, context);
        Assert.Equal(new SnapshotTick(1), tick);
        Assert.Equal(Given.At(15), at);
        Assert.Equal(Given.At(15), state.SnapshotDueAt);
    }

    [Fact]
    public void Further_changes_do_not_push_the_timer_back()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Given.Global(Options, Given.At(0)));

        var step = GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("b", 1)), Given.Global(Options, Given.At(3)));

        Assert.Empty(step.Effects);
        Assert.Equal(Given.At(5), state.SnapshotDueAt);
    }

    [Fact]
    public void The_timer_snapshots_what_changed()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 4)), Given.Global(Options, Given.At(0)));

        var step = GlobalOperations.ApplyTick(state, new SnapshotTick(1), Given.Global(Options, Given.At(5)));

        Assert.Equal([new SnapshotRow(Given.Key("a"), 4, 1, Given.At(5))], Effects.SingleSnapshot(step).Rows);
        Assert.Null(state.SnapshotDueAt);
    }

    [Fact]
    public void After_a_threshold_snapshot_the_next_change_re_arms_a_timer_for_the_next_version()
    {
        var state = new GlobalState();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", 1)), Given.Global(Options, Given.At(0)));
        }

        var context = Given.Global(Options, Given.At(1));
        var step = GlobalOperations.ApplyMerge(state, Given.Flush("0", 4, ("a", 1)), context);

        var (tick, at) = Effects.SingleTimer<GlobalState, SnapshotTick>(step, context);
        Assert.Equal(new SnapshotTick(2), tick);
        Assert.Equal(Given.At(6), at);
    }

    [Fact]
    public void A_tick_whose_snapshot_already_happened_does_nothing()
    {
        var state = new GlobalState();
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", 1)), Given.Global(Options, Given.At(0)));
        }

        var step = GlobalOperations.ApplyTick(state, new SnapshotTick(1), Given.Global(Options, Given.At(5)));

        Assert.Empty(step.Effects);
        Assert.Equal(1, state.SnapshotVersion);
        Assert.Equal([Given.Key("a")], state.Dirty);
    }

    [Fact]
    public void A_tick_delivered_twice_snapshots_once()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Given.Global(Options, Given.At(0)));
        var context = Given.Global(Options, Given.At(5));
        Effects.SingleSnapshot(GlobalOperations.ApplyTick(state, new SnapshotTick(1), context));

        var duplicate = GlobalOperations.ApplyTick(state, new SnapshotTick(1), context);

        Assert.Empty(duplicate.Effects);
        Assert.Equal(1, state.SnapshotVersion);
    }

    [Fact]
    public void A_tick_with_nothing_changed_does_nothing()
    {
        var state = new GlobalState();

        var step = GlobalOperations.ApplyTick(state, new SnapshotTick(1), Given.Global(Options, Given.At(5)));

        Assert.Empty(step.Effects);
        Assert.Equal(0, state.SnapshotVersion);
    }
}
