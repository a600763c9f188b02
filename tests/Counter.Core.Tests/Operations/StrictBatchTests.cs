namespace Counter.Core.Tests.Operations;

public sealed class StrictBatchTests
{
    private static readonly Dictionary<string, long> Held = new() { ["a"] = 10, ["b"] = 0 };

    [Fact]
    public void Operations_apply_in_input_order_and_answer_each_value_before_and_after()
    {
        var outcome = StrictBatch.Apply(Held, [
            new(OperationKind.Inc, "a", 5),
            new(OperationKind.Dec, "a", 20),
            new(OperationKind.Set, "b", 7),
            new(OperationKind.Get, "a"),
            new(OperationKind.Del, "b"),
        ]);

        Assert.Null(outcome.Refusal);
        Assert.Equal(
            [
                new OperationResult(OperationKind.Inc, "a", 15, 10, true),
                new OperationResult(OperationKind.Dec, "a", -5, 15, true),
                new OperationResult(OperationKind.Set, "b", 7, 0, true),
                new OperationResult(OperationKind.Get, "a", -5, -5, true),
                new OperationResult(OperationKind.Del, "b", 0, 7, true),
            ],
            outcome.Results);
        Assert.Equal(new Dictionary<string, long?> { ["a"] = -5, ["b"] = null }, outcome.Changes);
    }

    [Theory]
    [InlineData(Comparator.Lt, 10, false)]
    [InlineData(Comparator.Le, 10, true)]
    [InlineData(Comparator.Eq, 10, true)]
    [InlineData(Comparator.Ne, 10, false)]
    [InlineData(Comparator.Gt, 9, true)]
    [InlineData(Comparator.Ge, 11, false)]
    public void A_single_conditional_operation_is_applied_only_when_its_condition_holds(Comparator comparator, long operand, bool holds)
    {
        var outcome = StrictBatch.Apply(Held, [new(OperationKind.IncIf, "a", 1, new Condition(comparator, operand))]);

        Assert.Null(outcome.Refusal);
        var result = Assert.Single(outcome.Results);
        Assert.Equal(holds, result.Applied);
        Assert.Equal(holds ? 11 : 10, result.Value);
        Assert.Equal(10, result.Previous);
        Assert.Equal(holds ? 1 : 0, outcome.Changes.Count);
    }

    [Fact]
    public void A_condition_that_fails_inside_a_batch_refuses_the_whole_batch()
    {
        var outcome = StrictBatch.Apply(Held, [
            new(OperationKind.Inc, "b", 1),
            new(OperationKind.SetIf, "a", 0, new Condition(Comparator.Gt, 10)),
        ]);

        Assert.Equal(StrictRefusal.ConditionFailed, outcome.Refusal);
        Assert.Equal(1, outcome.RefusedAt);
        Assert.Empty(outcome.Changes);
        Assert.Empty(outcome.Results);
    }

    [Fact]
    public void A_counter_deleted_earlier_in_the_batch_or_never_created_refuses_the_batch()
    {
        var deleted = StrictBatch.Apply(Held, [new(OperationKind.Del, "a"), new(OperationKind.Inc, "a", 1)]);
        var missing = StrictBatch.Apply(Held, [new(OperationKind.Get, "nope")]);

        Assert.Equal((StrictRefusal.NotFound, 1), (deleted.Refusal!.Value, deleted.RefusedAt));
        Assert.Equal((StrictRefusal.NotFound, 0), (missing.Refusal!.Value, missing.RefusedAt));
    }

    [Fact]
    public void A_value_beyond_the_64_bit_range_refuses_the_batch_rather_than_saturating()
    {
        var outcome = StrictBatch.Apply(new Dictionary<string, long> { ["a"] = long.MaxValue - 1 }, [new(OperationKind.Inc, "a", 2)]);
        var down = StrictBatch.Apply(new Dictionary<string, long> { ["a"] = long.MinValue }, [new(OperationKind.Dec, "a", 1)]);

        Assert.Equal(StrictRefusal.OutOfRange, outcome.Refusal);
        Assert.Equal(StrictRefusal.OutOfRange, down.Refusal);
    }
}
