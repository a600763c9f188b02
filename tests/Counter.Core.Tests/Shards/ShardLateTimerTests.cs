namespace Counter.Core.Tests.Shards;

/// <summary>Under a backlog a shard's tick arrives after its due time, behind other operations in the entity's queue.</summary>
public sealed class ShardLateTimerTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 100, shardDelaySeconds: 5);

    [Fact]
    public void An_add_applied_after_the_timer_came_due_flushes_at_once_saying_when_the_flush_was_due()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", 2)), Given.Shard(0, Options, Given.At(6.5)));

        var flush = Effects.SingleMerge(step);
        Assert.Equal([new Increment(Given.Key("a"), 3)], flush.Deltas);
        Assert.Equal(Given.At(5), flush.DueAt);
        Assert.Null(state.FlushDueAt);
        Assert.Empty(ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(7))).Effects);
    }

    [Fact]
    public void An_add_before_the_timer_came_due_leaves_the_buffer_to_it()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", 2)), Given.Shard(0, Options, Given.At(4.9)));

        Assert.Empty(step.Effects);
        Assert.Equal(3, state.Pending[Given.Key("a")]);
    }

    [Fact]
    public void A_tick_that_fired_late_flushes_saying_when_it_was_due()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));

        var flush = Effects.SingleMerge(ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(7.2))));

        Assert.Equal(Given.At(5), flush.DueAt);
    }

    [Fact]
    public void A_flush_before_its_timer_came_due_is_due_when_sent()
    {
        var options = Given.Options(shardMinIncrements: 2, shardDelaySeconds: 5);
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, options, Given.At(0)));

        var flush = Effects.SingleMerge(ShardOperations.ApplyAdd(state, Given.Add(("b", 1)), Given.Shard(0, options, Given.At(2))));

        Assert.Equal(Given.At(2), flush.DueAt);
    }
}
