namespace Counter.Core.Tests.Global;

public sealed class GlobalMergeOnceTests
{
    private static readonly EntityContext Context = Given.Global(Given.Options(), Given.At(0));

    [Fact]
    public void A_flush_delivered_twice_is_merged_once_and_counted_as_a_duplicate()
    {
        var state = new GlobalState();
        var flush = Given.Flush("0", 1, ("a", 5));
        GlobalOperations.ApplyMerge(state, flush, Context);

        var duplicate = GlobalOperations.ApplyMerge(state, flush, Context);

        Assert.Empty(duplicate.Effects);
        Assert.Equal(5, state.Totals[Given.Key("a")]);
        Assert.Equal(1, state.DuplicateFlushes);
        Assert.Equal(1, state.Shards["0"].Merges);
        Assert.Single(state.RecentMerges);
    }

    [Fact]
    public void Flushes_arriving_out_of_order_are_each_merged_once()
    {
        var state = new GlobalState();
        foreach (var sequence in new long[] { 1, 2, 3, 5, 4, 5, 4 })
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", sequence)), Context);
        }

        Assert.Equal(1 + 2 + 3 + 4 + 5, state.Totals[Given.Key("a")]);
        Assert.Equal(2, state.DuplicateFlushes);
        Assert.Equal(5, state.Shards["0"].Merges);
    }

    [Fact]
    public void A_flush_ahead_of_a_gap_is_remembered_until_the_gap_closes()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Context);
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 3, ("a", 1)), Context);
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 5, ("a", 1)), Context);

        Assert.Equal(1, state.Shards["0"].AppliedThrough);
        Assert.Equal([3L, 5L], state.Shards["0"].AppliedAhead);

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("a", 1)), Context);

        Assert.Equal(3, state.Shards["0"].AppliedThrough);
        Assert.Equal([5L], state.Shards["0"].AppliedAhead);
    }

    [Fact]
    public void A_duplicate_of_a_flush_merged_ahead_of_a_gap_is_recognised()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("a", 1)), Context);

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("a", 1)), Context);

        Assert.Equal(1, state.Totals[Given.Key("a")]);
        Assert.Equal(1, state.DuplicateFlushes);
    }

    [Fact]
    public void The_same_sequence_from_different_shards_is_not_a_duplicate()
    {
        var state = new GlobalState();

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Context);
        GlobalOperations.ApplyMerge(state, Given.Flush("1", 1, ("a", 1)), Context);

        Assert.Equal(2, state.Totals[Given.Key("a")]);
        Assert.Equal(0, state.DuplicateFlushes);
        Assert.Equal(["0", "1"], state.Shards.Keys.Order());
    }
}
