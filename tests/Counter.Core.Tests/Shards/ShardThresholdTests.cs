namespace Counter.Core.Tests.Shards;

public sealed class ShardThresholdTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 3);

    [Fact]
    public void Increments_below_the_threshold_stay_buffered_summed_per_counter()
    {
        var state = new ShardState();

        ShardOperations.ApplyAdd(state, Given.Add(("a", 2), ("b", 5)), Given.Shard(0, Options, Given.At(0)));

        Assert.Equal(2, state.PendingIncrements);
        Assert.Equal(2, state.Pending[Given.Key("a")]);
        Assert.Equal(5, state.Pending[Given.Key("b")]);
        Assert.Equal(1, state.NextSequence);
    }

    [Fact]
    public void Reaching_the_threshold_flushes_at_once_to_the_global_entity()
    {
        var state = new ShardState();
        var context = Given.Shard(2, Options, Given.At(0));
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1), ("b", 10)), context);

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", -4)), context);

        var flush = Effects.SingleMerge(step);
        Assert.Equal("2", flush.Shard);
        Assert.Equal(1, flush.Sequence);
        Assert.Equal(3, flush.IncrementCount);
        Assert.Equal(
            [new Increment(Given.Key("a"), -3), new Increment(Given.Key("b"), 10)],
            flush.Deltas.OrderBy(delta => delta.Counter));
    }

    [Fact]
    public void A_flush_empties_the_buffer_and_advances_the_sequence()
    {
        var state = new ShardState();

        ShardOperations.ApplyAdd(state, Given.Add(("a", 1), ("a", 1), ("a", 1)), Given.Shard(0, Options, Given.At(0)));

        Assert.Empty(state.Pending);
        Assert.Equal(0, state.PendingIncrements);
        Assert.Equal(2, state.NextSequence);
        Assert.Null(state.FlushDueAt);
    }

    [Fact]
    public void One_add_with_more_increments_than_the_threshold_flushes_all_of_them_together()
    {
        var state = new ShardState();

        var step = ShardOperations.ApplyAdd(
            state, Given.Add(("a", 1), ("b", 1), ("a", 1), ("c", 1), ("a", 1)), Given.Shard(0, Options, Given.At(0)));

        var flush = Effects.SingleMerge(step);
        Assert.Equal(5, flush.IncrementCount);
        Assert.Equal(3, flush.Deltas.Single(delta => delta.Counter == Given.Key("a")).Delta);
    }

    [Fact]
    public void Consecutive_threshold_flushes_carry_consecutive_sequences()
    {
        var state = new ShardState();
        var context = Given.Shard(0, Options, Given.At(0));

        var sequences = Enumerable.Range(0, 3)
            .Select(_ => Effects.SingleMerge(ShardOperations.ApplyAdd(state, Given.Add(("a", 1), ("a", 1), ("a", 1)), context)).Sequence)
            .ToList();

        Assert.Equal([1L, 2L, 3L], sequences);
    }

    [Fact]
    public void With_global_partitions_the_threshold_counts_for_each_of_them()
    {
        var options = new CounterOptions { ShardMinIncrementsToGlobal = 3, GlobalPartitions = 4 };
        var state = new ShardState();
        var context = Given.Shard(0, options, Given.At(0));
        var counters = Enumerable.Range(0, 12).Select(static index => ($"c{index}", 1L)).ToArray();

        var below = ShardOperations.ApplyAdd(state, Given.Add(counters[..11]), context);
        var reached = ShardOperations.ApplyAdd(state, Given.Add(counters[11..]), context);

        Assert.Equal(12, ShardOperations.IncrementsToFlush(options));
        Assert.DoesNotContain(below.Effects, static effect => effect is SignalEffect { Operation: GlobalOperations.Merge });
        var merges = reached.Effects.OfType<SignalEffect>().Select(static signal => (ShardFlush)signal.Input!).ToList();
        Assert.Equal(12, merges.Sum(static merge => merge.IncrementCount));
        Assert.Equal(12, merges.Sum(static merge => merge.Deltas.Count));
        Assert.Empty(state.Pending);
    }

    [Fact]
    public void Buffered_deltas_saturate_at_the_bounds_of_a_64_bit_integer()
    {
        var state = new ShardState();

        ShardOperations.ApplyAdd(state, Given.Add(("up", long.MaxValue), ("up", 1), ("down", long.MinValue), ("down", -1)), Given.Shard(0, Given.Options(), Given.At(0)));

        Assert.Equal(long.MaxValue, state.Pending[Given.Key("up")]);
        Assert.Equal(long.MinValue, state.Pending[Given.Key("down")]);
    }

    [Fact]
    public void An_add_without_increments_changes_nothing_and_arms_no_timer()
    {
        var state = new ShardState();

        var step = ShardOperations.ApplyAdd(state, new AddIncrements([]), Given.Shard(0, Options, Given.At(0)));

        Assert.Empty(step.Effects);
        Assert.Empty(state.Pending);
        Assert.Null(state.FlushDueAt);
    }
}
