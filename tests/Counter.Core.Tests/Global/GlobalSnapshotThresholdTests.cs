namespace Counter.Core.Tests.Global;

public sealed class GlobalSnapshotThresholdTests
{
    private static readonly CounterOptions Options = Given.Options(globalMinWrites: 3);

    [Fact]
    public void Reaching_the_merge_threshold_snapshots_the_changed_counters_sorted_by_key()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("c", 1)), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyMerge(state, Given.Flush("1", 1, ("a", 2)), Given.Global(Options, Given.At(1)));

        var step = GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("b", 3), ("c", 4)), Given.Global(Options, Given.At(2)));

        var batch = Effects.SingleSnapshot(step);
        Assert.Equal(1, batch.Version);
        Assert.Equal(Given.At(2), batch.At);
        Assert.Equal(
            [
                new SnapshotRow(Given.Key("a"), 2, 1, Given.At(2)),
                new SnapshotRow(Given.Key("b"), 3, 1, Given.At(2)),
                new SnapshotRow(Given.Key("c"), 5, 1, Given.At(2)),
            ],
            batch.Rows);
    }

    [Fact]
    public void A_snapshot_holds_only_counters_changed_since_the_previous_one()
    {
        var state = new GlobalState();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("old", 1)), Given.Global(Options, Given.At(0)));
        }

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 4, ("new", 1)), Given.Global(Options, Given.At(1)));
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 5, ("new", 1)), Given.Global(Options, Given.At(1)));
        var step = GlobalOperations.ApplyMerge(state, Given.Flush("0", 6, ("new", 1)), Given.Global(Options, Given.At(1)));

        var batch = Effects.SingleSnapshot(step);
        Assert.Equal(2, batch.Version);
        Assert.Equal([new SnapshotRow(Given.Key("new"), 3, 2, Given.At(1))], batch.Rows);
    }

    [Fact]
    public void A_snapshot_clears_what_is_dirty_and_disarms_the_timer()
    {
        var state = new GlobalState();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", 1)), Given.Global(Options, Given.At(0)));
        }

        Assert.Empty(state.Dirty);
        Assert.Equal(0, state.MergesSinceSnapshot);
        Assert.Null(state.SnapshotDueAt);
        Assert.Equal(1, state.SnapshotVersion);
    }

    [Fact]
    public void Duplicate_flushes_do_not_count_towards_the_threshold()
    {
        var state = new GlobalState();
        var flush = Given.Flush("0", 1, ("a", 1));
        var context = Given.Global(Options, Given.At(0));

        var steps = Enumerable.Range(0, 3).Select(_ => GlobalOperations.ApplyMerge(state, flush, context)).ToList();

        Assert.DoesNotContain(steps.SelectMany(step => step.Effects), effect => effect is SnapshotEffect);
        Assert.Equal(1, state.MergesSinceSnapshot);
    }

    [Fact]
    public void With_partitions_a_partition_snapshots_after_the_threshold_for_each_partition()
    {
        var options = Given.Options(globalMinWrites: 3);
        options.GlobalPartitions = 4;
        var partition = GlobalPartitions.Address(2, 4);
        var state = new GlobalState();
        var steps = Enumerable.Range(1, 12)
            .Select(sequence => GlobalOperations.ApplyMerge(state, Given.Flush("0", sequence, ("a", 1)), new EntityContext(partition, options, Given.At(0))))
            .ToList();

        Assert.Equal(12, GlobalOperations.MergesToSnapshot(options));
        Assert.DoesNotContain(steps.Take(11).SelectMany(step => step.Effects), effect => effect is SnapshotEffect);
        Assert.Equal([new SnapshotRow(Given.Key("a"), 12, 1, Given.At(0))], Effects.SingleSnapshot(steps[11]).Rows);
    }
}
