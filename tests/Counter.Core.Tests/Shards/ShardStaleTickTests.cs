namespace Counter.Core.Tests.Shards;

public sealed class ShardStaleTickTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 2, shardDelaySeconds: 5);

    [Fact]
    public void A_tick_whose_flush_already_happened_by_threshold_does_nothing()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(1)));
        ShardOperations.ApplyAdd(state, Given.Add(("b", 1)), Given.Shard(0, Options, Given.At(2)));

        var step = ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(5)));

        Assert.Empty(step.Effects);
        AssertStillBuffered(state, sequence: 2, dueAt: Given.At(7));
    }

    [Fact]
    public void A_tick_whose_flush_already_happened_by_write_does_nothing()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyWrite(state, Given.Shard(0, Options, Given.At(1)));
        ShardOperations.ApplyAdd(state, Given.Add(("b", 1)), Given.Shard(0, Options, Given.At(2)));

        var step = ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(5)));

        Assert.Empty(step.Effects);
        AssertStillBuffered(state, sequence: 2, dueAt: Given.At(7));
    }

    [Fact]
    public void A_tick_delivered_twice_flushes_only_once()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));
        var context = Given.Shard(0, Options, Given.At(5));
        Effects.SingleMerge(ShardOperations.ApplyTick(state, new FlushTick(1), context));

        var duplicate = ShardOperations.ApplyTick(state, new FlushTick(1), context);

        Assert.Empty(duplicate.Effects);
        Assert.Equal(2, state.NextSequence);
    }

    [Fact]
    public void A_tick_with_nothing_buffered_does_nothing()
    {
        var state = new ShardState();

        var step = ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(5)));

        Assert.Empty(step.Effects);
        Assert.Equal(1, state.NextSequence);
    }

    [Fact]
    public void A_tick_for_a_sequence_that_is_not_yet_due_does_nothing()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));

        var step = ShardOperations.ApplyTick(state, new FlushTick(2), Given.Shard(0, Options, Given.At(5)));

        Assert.Empty(step.Effects);
        AssertStillBuffered(state, sequence: 1, dueAt: Given.At(5));
    }

    private static void AssertStillBuffered(ShardState state, long sequence, DateTimeOffset dueAt)
    {
        Assert.Equal(1, state.PendingIncrements);
        Assert.Equal(sequence, state.NextSequence);
        Assert.Equal(dueAt, state.FlushDueAt);
    }
}
