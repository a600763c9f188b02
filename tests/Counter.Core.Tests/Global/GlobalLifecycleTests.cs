namespace Counter.Core.Tests.Global;

/// <summary>Counters created in a tenant with an initial value, deleted on their own or with their tenant.</summary>
public sealed class GlobalLifecycleTests
{
    private static readonly CounterOptions Options = Given.Options(globalMinWrites: 100);
    private static readonly CounterKey Likes = CounterKey.Create("blog", "likes");
    private static readonly CounterKey Views = CounterKey.Create("blog", "views");
    private static readonly CounterKey OtherLikes = CounterKey.Create("shop", "likes");

    [Fact]
    public void Creation_starts_the_total_at_the_initial_value_and_snapshots_it_at_once()
    {
        var state = new GlobalState();

        var step = GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 40), Given.Global(Options, Given.At(0)));

        Assert.Equal([new SnapshotRow(Likes, 40, 1, Given.At(0))], Effects.SingleSnapshot(step).Rows);
        Assert.Equal(40, state.Totals[Likes]);
    }

    [Fact]
    public void Increments_merged_before_the_creation_arrived_are_kept_on_top_of_the_initial_value()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Flush(1, (Likes, 3)), Given.Global(Options, Given.At(0)));

        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 40), Given.Global(Options, Given.At(1)));

        Assert.Equal(43, state.Totals[Likes]);
    }

    [Fact]
    public void Deletion_removes_the_total_and_the_snapshot_row_and_late_deltas_for_it_are_dropped()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 5), Given.Global(Options, Given.At(0)));

        var step = GlobalOperations.ApplyDelete(state, new DeleteCounter(Likes), Given.Global(Options, Given.At(1)));
        GlobalOperations.ApplyMerge(state, Flush(1, (Likes, 3), (Views, 1)), Given.Global(Options, Given.At(2)));

        var snapshot = Effects.SingleSnapshot(step);
        Assert.Empty(snapshot.Rows);
        Assert.Equal([Likes], snapshot.Removed);
        Assert.False(state.Totals.ContainsKey(Likes));
        Assert.Equal(1, state.Totals[Views]);
        Assert.Equal(1, state.DroppedDeltas);
    }

    [Fact]
    public void A_counter_created_again_after_deletion_counts_from_its_new_initial_value()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 5), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyMerge(state, Flush(1, (Likes, 3)), Given.Global(Options, Given.At(1)));
        GlobalOperations.ApplyDelete(state, new DeleteCounter(Likes), Given.Global(Options, Given.At(2)));

        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 100), Given.Global(Options, Given.At(3)));
        GlobalOperations.ApplyMerge(state, Flush(2, (Likes, 1)), Given.Global(Options, Given.At(4)));

        Assert.Equal(101, state.Totals[Likes]);
    }

    [Fact]
    public void Deleting_a_tenant_removes_its_counters_only_and_deltas_still_flushed_for_them_do_not_bring_them_back()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 1), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyCreate(state, new CreateCounter(OtherLikes, 2), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyMerge(state, Flush(1, (Views, 4)), Given.Global(Options, Given.At(1)));

        var step = GlobalOperations.ApplyDeleteTenant(state, new DeleteTenant("blog"), Given.Global(Options, Given.At(2)));
        GlobalOperations.ApplyMerge(state, Flush(2, (Likes, 1), (Views, 1), (OtherLikes, 1)), Given.Global(Options, Given.At(3)));

        Assert.Equal([Likes, Views], Effects.SingleSnapshot(step).Removed!.Order());
        Assert.Equal([OtherLikes], state.Totals.Keys);
        Assert.Equal(3, state.Totals[OtherLikes]);
        Assert.Equal(2, state.DroppedDeltas);
    }

    [Fact]
    public void In_a_tenant_created_again_only_counters_created_again_count()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 1), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyDeleteTenant(state, new DeleteTenant("blog"), Given.Global(Options, Given.At(1)));

        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 0), Given.Global(Options, Given.At(2)));
        GlobalOperations.ApplyMerge(state, Flush(1, (Likes, 2), (Views, 7)), Given.Global(Options, Given.At(3)));

        Assert.Equal(2, state.Totals[Likes]);
        Assert.False(state.Totals.ContainsKey(Views));
    }

    [Fact]
    public void Deletions_are_forgotten_after_a_day()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyDelete(state, new DeleteCounter(Likes), Given.Global(Options, Given.At(0)));
        GlobalOperations.ApplyDeleteTenant(state, new DeleteTenant("shop"), Given.Global(Options, Given.At(0)));

        GlobalOperations.ApplyCreate(state, new CreateCounter(Views, 0), Given.Global(Options, Given.At(0) + GlobalOperations.DeletionMemory + TimeSpan.FromSeconds(1)));

        Assert.Empty(state.DeletedCounters);
        Assert.Empty(state.DeletedTenants);
    }

    [Fact]
    public void A_deletion_kept_as_entries_restores_without_the_counter()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyCreate(state, new CreateCounter(Likes, 5), Given.Global(Options, Given.At(0)));
        var created = GlobalStateEntries.TakeChanged(state);
        GlobalOperations.ApplyDelete(state, new DeleteCounter(Likes), Given.Global(Options, Given.At(1)));
        var deleted = GlobalStateEntries.TakeChanged(state);

        var restored = GlobalStateEntries.Restore(new GlobalState(), [.. created, .. deleted]);

        Assert.Equal([new TotalEntry(Likes, 0, 0, Removed: true)], deleted);
        Assert.Empty(restored.Totals);
    }

    private static ShardFlush Flush(long sequence, params (CounterKey Counter, long Delta)[] deltas) =>
        new("0", sequence, deltas.Length, [.. deltas.Select(static delta => new Increment(delta.Counter, delta.Delta))]);
}
