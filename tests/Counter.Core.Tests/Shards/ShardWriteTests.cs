namespace Counter.Core.Tests.Shards;

public sealed class ShardWriteTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 100);

    [Fact]
    public void Write_flushes_what_is_buffered_before_the_threshold_or_the_timer()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 4)), Given.Shard(3, Options, Given.At(0)));

        var step = ShardOperations.ApplyWrite(state, Given.Shard(3, Options, Given.At(1)));

        var flush = Effects.SingleMerge(step);
        Assert.Equal(("3", 1L, 1L), (flush.Shard, flush.Sequence, flush.IncrementCount));
        Assert.Equal([new Increment(Given.Key("a"), 4)], flush.Deltas);
        Assert.Empty(state.Pending);
        Assert.Null(state.FlushDueAt);
    }

    [Fact]
    public void Write_with_nothing_buffered_does_nothing()
    {
        var state = new ShardState();

        var step = ShardOperations.ApplyWrite(state, Given.Shard(0, Options, Given.At(0)));

        Assert.Empty(step.Effects);
        Assert.Equal(1, state.NextSequence);
    }
}
