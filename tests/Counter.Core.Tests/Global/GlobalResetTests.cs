namespace Counter.Core.Tests.Global;

public sealed class GlobalResetTests
{
    private static readonly CounterOptions Options = Given.Options(globalMinWrites: 100);

    [Fact]
    public void Reset_sets_the_total_to_zero_and_snapshots_at_once()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 9)), Given.Global(Options, Given.At(0)));

        var step = GlobalOperations.ApplyReset(state, new ResetCounter(Given.Key("a")), Given.Global(Options, Given.At(1)));

        Assert.Equal([new SnapshotRow(Given.Key("a"), 0, 1, Given.At(1))], Effects.SingleSnapshot(step).Rows);
        Assert.Equal(0, state.Totals[Given.Key("a")]);
    }

    [Fact]
    public void Reset_of_a_counter_never_counted_snapshots_it_as_zero()
    {
        var state = new GlobalState();

        var step = GlobalOperations.ApplyReset(state, new ResetCounter(Given.Key("new")), Given.Global(Options, Given.At(0)));

        Assert.Equal([new SnapshotRow(Given.Key("new"), 0, 1, Given.At(0))], Effects.SingleSnapshot(step).Rows);
    }

    [Fact]
    public void Increments_flushed_after_a_reset_add_to_the_zero()
    {
        var shardOptions = Given.Options(shardMinIncrements: 100);
        var shard = new ShardState();
        var global = new GlobalState();
        ShardOperations.ApplyAdd(shard, Given.Add(("a", 5)), Given.Shard(0, shardOptions, Given.At(0)));
        var first = Effects.SingleMerge(ShardOperations.ApplyWrite(shard, Given.Shard(0, shardOptions, Given.At(1))));
        GlobalOperations.ApplyMerge(global, first, Given.Global(Options, Given.At(1)));
        ShardOperations.ApplyAdd(shard, Given.Add(("a", 2)), Given.Shard(0, shardOptions, Given.At(2)));

        GlobalOperations.ApplyReset(global, new ResetCounter(Given.Key("a")), Given.Global(Options, Given.At(3)));
        var second = Effects.SingleMerge(ShardOperations.ApplyWrite(shard, Given.Shard(0, shardOptions, Given.At(4))));
        GlobalOperations.ApplyMerge(global, second, Given.Global(Options, Given.At(4)));

        Assert.Equal(2, global.Totals[Given.Key("a")]);
        Assert.Equal([Given.Key("a")], global.Dirty);
    }

    [Fact]
    public void A_flush_merged_before_a_reset_and_delivered_again_after_it_is_not_counted_again()
    {
        var state = new GlobalState();
        var flush = Given.Flush("0", 1, ("a", 5));
        GlobalOperations.ApplyMerge(state, flush, Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyReset(state, new ResetCounter(Given.Key("a")), Given.Global(Options, Given.At(1)));

        GlobalOperations.ApplyMerge(state, flush, Given.Global(Options, Given.At(2)));

        Assert.Equal(0, state.Totals[Given.Key("a")]);
    }

    [Fact]
    public void Reset_makes_an_armed_timer_stale_and_the_next_change_arms_a_new_one()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyReset(state, new ResetCounter(Given.Key("b")), Given.Global(Options, Given.At(1)));
        var context = Given.Global(Options, Given.At(2));

        var change = GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("a", 1)), context);
        var staleTick = GlobalOperations.ApplyTick(state, new SnapshotTick(1), Given.Global(Options, Given.At(5)));

        Assert.Equal(new SnapshotTick(2), Effects.SingleTimer<GlobalState, SnapshotTick>(change, context).Input);
        Assert.Empty(staleTick.Effects);
    }

    [Fact]
    public void Set_puts_the_total_at_the_value_and_snapshots_at_once_and_buffered_increments_add_to_it()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 9)), Given.Global(Options, Given.At(0)));

        var step = GlobalOperations.ApplySet(state, new SetCounter(Given.Key("a"), 100), Given.Global(Options, Given.At(1)));
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("a", 3)), Given.Global(Options, Given.At(2)));

        Assert.Equal([new SnapshotRow(Given.Key("a"), 100, 1, Given.At(1))], Effects.SingleSnapshot(step).Rows);
        Assert.Equal(103, state.Totals[Given.Key("a")]);
    }
}
