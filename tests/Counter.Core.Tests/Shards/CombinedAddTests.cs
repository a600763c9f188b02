namespace Counter.Core.Tests.Shards;

/// <summary>Increments of many requests combined into one signal count as they would have one by one.</summary>
public sealed class CombinedAddTests
{
    [Fact]
    public void Combining_sums_per_counter_and_counts_every_increment()
    {
        var combined = AddIncrements.Combine([Given.Add(("a", 1)), Given.Add(("a", 2), ("b", -5)), Given.Add(("a", 1))]);

        Assert.Equal(4, combined.IncrementCount);
        Assert.Equal(
            [new Increment(Given.Key("a"), 4), new Increment(Given.Key("b"), -5)],
            combined.Increments.OrderBy(increment => increment.Counter));
    }

    [Fact]
    public void Combined_adds_count_their_increments_towards_the_threshold()
    {
        var options = Given.Options(shardMinIncrements: 3);
        var state = new ShardState();
        var combined = AddIncrements.Combine([Given.Add(("a", 1)), Given.Add(("a", 1)), Given.Add(("a", 1))]);

        var step = ShardOperations.ApplyAdd(state, combined, Given.Shard(0, options, Given.At(0)));

        var flush = Effects.SingleMerge(step);
        Assert.Equal(3, flush.IncrementCount);
        Assert.Equal([new Increment(Given.Key("a"), 3)], flush.Deltas);
    }

    [Fact]
    public void Combining_saturates_as_a_shard_does()
    {
        var combined = AddIncrements.Combine([Given.Add(("a", long.MaxValue)), Given.Add(("a", 1))]);

        Assert.Equal(long.MaxValue, Assert.Single(combined.Increments).Delta);
    }

    [Fact]
    public void The_count_travels_with_the_input_and_an_input_without_one_counts_its_increments()
    {
        var combined = AddIncrements.Combine([Given.Add(("a", 1)), Given.Add(("a", 1))]);
        var json = System.Text.Json.JsonSerializer.Serialize(combined, CounterJsonContext.Default.AddIncrements);

        Assert.Equal(2, System.Text.Json.JsonSerializer.Deserialize(json, CounterJsonContext.Default.AddIncrements)!.IncrementCount);
        Assert.DoesNotContain("count", System.Text.Json.JsonSerializer.Serialize(Given.Add(("a", 1)), CounterJsonContext.Default.AddIncrements), StringComparison.OrdinalIgnoreCase);
    }
}
