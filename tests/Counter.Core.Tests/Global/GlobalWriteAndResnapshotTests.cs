namespace Counter.Core.Tests.Global;

public sealed class GlobalWriteAndResnapshotTests
{
    private static readonly CounterOptions Options = Given.Options(globalMinWrites: 100, globalDelaySeconds: 5);

    [Fact]
    public void Write_snapshots_what_changed_now()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("b", 2), ("a", 1)), Given.Global(Options, Given.At(0)));

        var step = GlobalOperations.ApplyWrite(state, Given.Global(Options, Given.At(1)));

        Assert.Equal(
            [new SnapshotRow(Given.Key("a"), 1, 1, Given.At(1)), new SnapshotRow(Given.Key("b"), 2, 1, Given.At(1))],
            Effects.SingleSnapshot(step).Rows);
    }

    [Fact]
    public void Write_with_nothing_changed_does_nothing()
    {
        var state = new GlobalState();

        var step = GlobalOperations.ApplyWrite(state, Given.Global(Options, Given.At(0)));

        Assert.Empty(step.Effects);
        Assert.Equal(0, state.SnapshotVersion);
    }

    [Fact]
    public void Resnapshot_marks_known_counters_changed_again_and_arms_the_timer()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 3)), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyWrite(state, Given.Global(Options, Given.At(1)));
        var context = Given.Global(Options, Given.At(2));

        var step = GlobalOperations.ApplyResnapshot(state, new ResnapshotCounters([Given.Key("a"), Given.Key("unknown")]), context);

        Assert.Equal((new SnapshotTick(2), Given.At(7)), Effects.SingleTimer<GlobalState, SnapshotTick>(step, context));
        Assert.Equal([Given.Key("a")], state.Dirty);
        Assert.False(state.Totals.ContainsKey(Given.Key("unknown")));
    }

    [Fact]
    public void The_timer_armed_by_resnapshot_writes_the_current_totals_again()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 3)), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyWrite(state, Given.Global(Options, Given.At(1)));
        GlobalOperations.ApplyResnapshot(state, new ResnapshotCounters([Given.Key("a")]), Given.Global(Options, Given.At(2)));

        var step = GlobalOperations.ApplyTick(state, new SnapshotTick(2), Given.Global(Options, Given.At(7)));

        Assert.Equal([new SnapshotRow(Given.Key("a"), 3, 2, Given.At(7))], Effects.SingleSnapshot(step).Rows);
    }

    [Fact]
    public void Resnapshot_of_only_unknown_counters_does_nothing()
    {
        var state = new GlobalState();

        var step = GlobalOperations.ApplyResnapshot(state, new ResnapshotCounters([Given.Key("unknown")]), Given.Global(Options, Given.At(0)));

        Assert.Empty(step.Effects);
        Assert.Empty(state.Dirty);
        Assert.Null(state.SnapshotDueAt);
    }
}
