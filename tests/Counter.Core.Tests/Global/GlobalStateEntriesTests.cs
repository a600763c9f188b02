using System.Text.Json;

namespace Counter.Core.Tests.Global;

public sealed class GlobalStateEntriesTests
{
    private static readonly EntityContext Context = Given.Global(Given.Options(globalMinWrites: 2), Given.At(0));

    [Fact]
    public void Only_the_counters_changed_since_the_last_take_are_taken()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1), ("b", 2)), Context);
        Assert.Equal(["a", "b"], Names(GlobalStateEntries.TakeChanged(state)));

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("b", 3)), Context);

        var changed = Assert.Single(GlobalStateEntries.TakeChanged(state));
        Assert.Equal(new TotalEntry(Given.Key("b"), 5, 0), changed);
        Assert.Empty(GlobalStateEntries.TakeChanged(state));
    }

    [Fact]
    public void A_changed_counter_waits_for_the_next_snapshot_version_until_a_snapshot_takes_it()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Context);

        Assert.Equal(new TotalEntry(Given.Key("a"), 1, 1), Assert.Single(GlobalStateEntries.TakeChanged(state)));
    }

    [Fact]
    public void Head_and_entries_restore_the_state_they_were_taken_from()
    {
        var state = new GlobalState();
        var kept = new Dictionary<CounterKey, TotalEntry>();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1), ("b", 2)), Context);
        Keep(state, kept);
        GlobalOperations.ApplyMerge(state, Given.Flush("1", 1, ("c", 3)), Context); // second merge: snapshot 1 of a, b and c
        Keep(state, kept);
        GlobalOperations.ApplyMerge(state, Given.Flush("1", 2, ("a", 4)), Context); // a is dirty again, for snapshot 2
        Keep(state, kept);

        var head = JsonSerializer.SerializeToUtf8Bytes(state, GlobalStateEntries.Head);
        var restored = GlobalStateEntries.Restore(JsonSerializer.Deserialize(head, GlobalStateEntries.Head)!, kept.Values);

        Assert.Equal(state.Totals, restored.Totals);
        Assert.Equal([Given.Key("a")], restored.Dirty);
        Assert.Equal(1, restored.SnapshotVersion);
        Assert.Equal(2, restored.Shards["1"].AppliedThrough);
        Assert.Empty(restored.Changed);
    }

    [Fact]
    public void The_head_leaves_out_the_totals_and_the_dirty_counters()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), Context);

        using var head = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(state, GlobalStateEntries.Head));

        Assert.False(head.RootElement.TryGetProperty("totals", out _));
        Assert.False(head.RootElement.TryGetProperty("dirty", out _));
        Assert.True(head.RootElement.TryGetProperty("shards", out _));
    }

    [Fact]
    public void A_state_kept_whole_gives_all_its_totals_as_changed_so_that_they_are_kept_as_entries()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1), ("b", 2)), Context);
        var whole = JsonSerializer.SerializeToUtf8Bytes(state, CounterJsonContext.Default.GlobalState);

        var restored = GlobalStateEntries.Restore(JsonSerializer.Deserialize(whole, CounterJsonContext.Default.GlobalState)!, []);

        Assert.Equal(["a", "b"], Names(GlobalStateEntries.TakeChanged(restored)));
    }

    [Fact]
    public void Of_several_entries_of_a_counter_the_last_one_holds()
    {
        var head = new GlobalState { SnapshotVersion = 3 };

        var restored = GlobalStateEntries.Restore(head, [new TotalEntry(Given.Key("a"), 1, 4), new TotalEntry(Given.Key("a"), 2, 0), new TotalEntry(Given.Key("b"), 1, 0), new TotalEntry(Given.Key("b"), 5, 4)]);

        Assert.Equal(2, restored.Totals[Given.Key("a")]);
        Assert.Equal(5, restored.Totals[Given.Key("b")]);
        Assert.Equal([Given.Key("b")], restored.Dirty);
    }

    [Fact]
    public void Taking_all_gives_every_counter_and_leaves_nothing_changed()
    {
        var state = new GlobalState();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1), ("b", 2)), Context);
        GlobalStateEntries.TakeChanged(state);
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 2, ("b", 1)), Context);

        Assert.Equal([new TotalEntry(Given.Key("a"), 1, 0), new TotalEntry(Given.Key("b"), 3, 0)], GlobalStateEntries.TakeAll(state).OrderBy(entry => entry.Counter.Name));
        Assert.Empty(GlobalStateEntries.TakeChanged(state));
    }

    [Fact]
    public void Taking_all_does_not_make_room_for_every_counter_among_the_changed_ones()
    {
        var state = new GlobalState();
        var counters = Enumerable.Range(0, 1000).Select(index => ($"c{index}", 1L)).ToArray();
        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, counters), Context);
        GlobalStateEntries.TakeChanged(state);
        state.Changed.TrimExcess();

        Assert.Equal(1000, GlobalStateEntries.TakeAll(state).Count);
        Assert.True(state.Changed.EnsureCapacity(0) < 1000, "the changed set grew to hold every counter");
    }

    private static void Keep(GlobalState state, Dictionary<CounterKey, TotalEntry> kept)
    {
        foreach (var entry in GlobalStateEntries.TakeChanged(state))
        {
            kept[entry.Counter] = entry;
        }
    }

    private static string[] Names(IEnumerable<TotalEntry> entries) => [.. entries.Select(entry => entry.Counter.Name).Order()];
}
