namespace Counter.Core.Tests.Shards;

/// <summary>Numbered adds delivered again (as the Azure Storage backend does after a crash) are applied once.</summary>
public sealed class RedeliveredAddTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 1000);

    [Fact]
    public void An_add_delivered_again_is_applied_once_in_any_order()
    {
        var state = new ShardState();
        var context = Given.Shard(0, Options, Given.At(0));
        long[] deliveries = [1, 2, 4, 2, 3, 1, 4, 5, 3];

        foreach (var sequence in deliveries)
        {
            ShardOperations.ApplyAdd(state, Numbered("p1", sequence), context);
        }

        Assert.Equal(5, state.Pending[Given.Key("likes")]);
        Assert.Equal(4, state.DuplicateAdds);
        var progress = state.Senders["p1"];
        Assert.Equal(5, progress.AppliedThrough);
        Assert.Empty(progress.AppliedAhead);
        Assert.Null(progress.GapSince);
    }

    [Fact]
    public void Adds_of_different_senders_are_told_apart_and_unnumbered_adds_always_apply()
    {
        var state = new ShardState();
        var context = Given.Shard(0, Options, Given.At(0));

        ShardOperations.ApplyAdd(state, Numbered("p1", 1), context);
        ShardOperations.ApplyAdd(state, Numbered("p2", 1), context);
        ShardOperations.ApplyAdd(state, Given.Add(("likes", 1)), context);
        ShardOperations.ApplyAdd(state, Given.Add(("likes", 1)), context);

        Assert.Equal(4, state.Pending[Given.Key("likes")]);
        Assert.Equal(0, state.DuplicateAdds);
    }

    [Fact]
    public void Adds_after_a_gap_are_kept_as_one_range_until_it_fills()
    {
        var progress = new SenderProgress();

        Assert.True(progress.TryMarkApplied(1, Given.At(0)));
        for (var sequence = 3; sequence <= 1000; sequence++)
        {
            Assert.True(progress.TryMarkApplied(sequence, Given.At(1)));
        }

        Assert.Equal(1, progress.AppliedThrough);
        Assert.Equal([3L, 1000L], Assert.Single(progress.AppliedAhead));
        Assert.False(progress.TryMarkApplied(500, Given.At(2)));
        Assert.True(progress.TryMarkApplied(2, Given.At(3)));
        Assert.Equal(1000, progress.AppliedThrough);
        Assert.Empty(progress.AppliedAhead);
    }

    [Fact]
    public void A_gap_that_never_fills_is_given_up_after_the_senders_memory()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Numbered("p1", 1), Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyAdd(state, Numbered("p1", 3), Given.Shard(0, Options, Given.At(1)));

        var later = Given.At(1) + ShardOperations.SenderMemory + TimeSpan.FromSeconds(1);
        ShardOperations.ApplyAdd(state, Numbered("p1", 4), Given.Shard(0, Options, later));

        var progress = state.Senders["p1"];
        Assert.Equal(4, progress.AppliedThrough);
        Assert.Empty(progress.AppliedAhead);
    }

    [Fact]
    public void Senders_not_heard_from_in_a_long_while_are_forgotten()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Numbered("gone", 1), Given.Shard(0, Options, Given.At(0)));

        ShardOperations.ApplyAdd(state, Numbered("new", 1), Given.Shard(0, Options, Given.At(0) + ShardOperations.SenderMemory + TimeSpan.FromSeconds(1)));

        Assert.Equal(["new"], state.Senders.Keys);
    }

    [Fact]
    public void The_numbering_survives_the_state_and_input_json()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Numbered("p1", 2), Given.Shard(0, Options, Given.At(0)));
        var json = System.Text.Json.JsonSerializer.Serialize(state, CounterJsonContext.Default.ShardState);
        var restored = System.Text.Json.JsonSerializer.Deserialize(json, CounterJsonContext.Default.ShardState)!;
        var input = System.Text.Json.JsonSerializer.Deserialize(
            System.Text.Json.JsonSerializer.Serialize(Numbered("p1", 2), CounterJsonContext.Default.AddIncrements), CounterJsonContext.Default.AddIncrements)!;

        ShardOperations.ApplyAdd(restored, input, Given.Shard(0, Options, Given.At(1)));

        Assert.Equal(1, restored.DuplicateAdds);
        Assert.Equal([2L, 2L], Assert.Single(restored.Senders["p1"].AppliedAhead));
    }

    private static AddIncrements Numbered(string sender, long sequence) => Given.Add(("likes", 1)) with { Sender = sender, Sequence = sequence };
}
