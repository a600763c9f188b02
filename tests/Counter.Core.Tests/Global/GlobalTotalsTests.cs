namespace Counter.Core.Tests.Global;

public sealed class GlobalTotalsTests
{
    private static readonly CounterOptions Options = Given.Options();

    [Fact]
    public void Merges_add_each_delta_to_its_counter_total()
    {
        var state = new GlobalState();

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 5), ("b", -2)), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyMerge(state, Given.Flush("1", 1, ("a", 3)), Given.Global(Options, Given.At(1)));

        Assert.Equal(8, state.Totals[Given.Key("a")]);
        Assert.Equal(-2, state.Totals[Given.Key("b")]);
    }

    [Theory]
    [InlineData(long.MaxValue - 1, 5, long.MaxValue)]
    [InlineData(long.MinValue + 1, -5, long.MinValue)]
    [InlineData(long.MaxValue, long.MinValue, -1)]
    public void Totals_saturate_at_the_bounds_of_a_64_bit_integer(long first, long second, long expected)
    {
        var state = new GlobalState();

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", first)), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("a", second)), Given.Global(Options, Given.At(1)));

        Assert.Equal(expected, state.Totals[Given.Key("a")]);
    }

    [Fact]
    public void Each_shard_records_how_many_flushes_and_increments_it_handed_over()
    {
        var state = new GlobalState();
        var context = Given.Global(Options, Given.At(0));

        GlobalOperations.ApplyMerge(state, new ShardFlush("0", 1, 7, [new Increment(Given.Key("a"), 7)]), context);
        GlobalOperations.ApplyMerge(state, new ShardFlush("0", 2, 3, [new Increment(Given.Key("a"), 1), new Increment(Given.Key("b"), 2)]), context);

        var progress = state.Shards["0"];
        Assert.Equal(2, progress.Merges);
        Assert.Equal(10, progress.Increments);
        Assert.Equal(2, progress.AppliedThrough);
        Assert.Empty(progress.AppliedAhead);
    }

    [Fact]
    public void Recent_merges_keep_the_newest_hundred_newest_last()
    {
        var state = new GlobalState();

        for (var sequence = 1; sequence <= 130; sequence++)
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", 1)), Given.Global(Options, Given.At(sequence)));
        }

        Assert.Equal(GlobalState.RecentMergeLimit, state.RecentMerges.Count);
        Assert.Equal(31, state.RecentMerges[0].Sequence);
        Assert.Equal(new MergeRecord("0", 130, 1, 1, Given.At(130)), state.RecentMerges[^1]);
    }

    [Theory]
    [InlineData(3, 34)]
    [InlineData(16, 7)]
    [InlineData(256, 1)]
    public void Each_global_partition_keeps_its_share_of_the_recent_merges(int partitions, int kept)
    {
        var options = new CounterOptions { GlobalPartitions = partitions };
        var state = new GlobalState();

        for (var sequence = 1; sequence <= 130; sequence++)
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", 1)), new EntityContext(GlobalPartitions.Address(0, partitions), options, Given.At(sequence)));
        }

        Assert.Equal(kept, GlobalState.RecentMergeLimitOf(partitions));
        Assert.Equal(kept, state.RecentMerges.Count);
        Assert.Equal(130, state.RecentMerges[^1].Sequence);
    }
}
