using Counter.Core;

namespace Counter.Storage.Tests.Tenants;

/// <summary>What every store does with strict counters: the batch rule applied against what it holds, atomically.</summary>
public abstract partial class TenantStoreContract<TStore>
{
    /// <summary>How many tasks the concurrency tests run at once.</summary>
    protected virtual int Writers => 64;

    /// <summary>How many increments each of them makes, one batch each.</summary>
    protected virtual int IncrementsPerWriter => 200;

    [Fact]
    public async Task A_strict_counter_reads_back_its_value_from_creation_and_other_counters_have_none()
    {
        await Strict(("stock", 10));
        await Store().TryCreateCounterAsync(new CounterRecord(Counter("views"), 5, At), CancellationToken.None);

        Assert.Equal(new StrictValue(Counter("stock"), 10, At), await Store().ReadStrictAsync(Counter("stock"), CancellationToken.None));
        Assert.Null(await Store().ReadStrictAsync(Counter("views"), CancellationToken.None));
        Assert.Null(await Store().ReadStrictAsync(Counter("never"), CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_applies_every_operation_in_order_and_answers_each()
    {
        await Strict(("a", 1), ("b", 10), ("c", 0));

        var applied = await Apply(
            Op(OperationKind.Inc, "a", 5),
            Op(OperationKind.Dec, "b", 2),
            Op(OperationKind.Get, "a"),
            Op(OperationKind.Set, "b", 100),
            Op(OperationKind.IncIf, "a", 1, new Condition(Comparator.Eq, 6)),
            Op(OperationKind.SetIf, "b", 7, new Condition(Comparator.Ge, 100)),
            Op(OperationKind.Inc, "a", -3));

        Assert.Null(applied.Replayed);
        Assert.Null(applied.Outcome!.Refusal);
        Assert.Equal(
            [
                new OperationResult(OperationKind.Inc, "a", 6, 1, true),
                new OperationResult(OperationKind.Dec, "b", 8, 10, true),
                new OperationResult(OperationKind.Get, "a", 6, 6, true),
                new OperationResult(OperationKind.Set, "b", 100, 8, true),
                new OperationResult(OperationKind.IncIf, "a", 7, 6, true),
                new OperationResult(OperationKind.SetIf, "b", 7, 100, true),
                new OperationResult(OperationKind.Inc, "a", 4, 7, true),
            ],
            applied.Outcome.Results);
        Assert.Equal(new StrictValue(Counter("a"), 4, ChangedAt), await Store().ReadStrictAsync(Counter("a"), CancellationToken.None));
        Assert.Equal(new StrictValue(Counter("b"), 7, ChangedAt), await Store().ReadStrictAsync(Counter("b"), CancellationToken.None));
        Assert.Equal(new StrictValue(Counter("c"), 0, At), await Store().ReadStrictAsync(Counter("c"), CancellationToken.None));
    }

    [Fact]
    public async Task A_condition_that_fails_inside_a_batch_applies_nothing_of_it()
    {
        await Strict(("a", 1), ("b", 10));

        var refused = (await Apply(Op(OperationKind.Inc, "a", 1), Op(OperationKind.SetIf, "b", 0, new Condition(Comparator.Lt, 5)), Op(OperationKind.Inc, "b", 1))).Outcome!;

        Assert.Equal((StrictRefusal.ConditionFailed, 1), (refused.Refusal, refused.RefusedAt));
        Assert.Empty(refused.Results);
        await AssertValues(("a", 1, At), ("b", 10, At));
    }

    [Fact]
    public async Task A_single_conditional_operation_whose_condition_fails_is_answered_not_applied()
    {
        await Strict(("a", 1));

        var answered = (await Apply(Op(OperationKind.IncIf, "a", 1, new Condition(Comparator.Gt, 5)))).Outcome!;

        Assert.Null(answered.Refusal);
        Assert.Equal([new OperationResult(OperationKind.IncIf, "a", 1, 1, false)], answered.Results);
        await AssertValues(("a", 1, At));
    }

    [Fact]
    public async Task A_counter_deleted_in_a_batch_is_not_found_later_in_it_and_nothing_is_applied()
    {
        await Strict(("a", 1), ("b", 2));

        var refused = (await Apply(Op(OperationKind.Inc, "b", 1), Op(OperationKind.Del, "a"), Op(OperationKind.Inc, "a", 1))).Outcome!;

        Assert.Equal((StrictRefusal.NotFound, 2), (refused.Refusal, refused.RefusedAt));
        await AssertValues(("a", 1, At), ("b", 2, At));

        var deleted = (await Apply(Op(OperationKind.Del, "a"), Op(OperationKind.Inc, "b", 1))).Outcome!;

        Assert.Equal([new OperationResult(OperationKind.Del, "a", 0, 1, true), new OperationResult(OperationKind.Inc, "b", 3, 2, true)], deleted.Results);
        Assert.Null(await Store().ReadCounterAsync(Counter("a"), CancellationToken.None));
        Assert.Null(await Store().ReadStrictAsync(Counter("a"), CancellationToken.None));
        await AssertValues(("b", 3, ChangedAt));
        Assert.True(await Store().TryCreateCounterAsync(new CounterRecord(Counter("a"), 5, At, CounterMode.Strict), CancellationToken.None));
    }

    [Fact]
    public async Task A_sharded_or_missing_counter_is_not_found_by_a_batch()
    {
        await Store().TryCreateCounterAsync(new CounterRecord(Counter("views"), 5, At), CancellationToken.None);

        Assert.Equal(StrictRefusal.NotFound, (await Apply(Op(OperationKind.Inc, "views", 1))).Outcome!.Refusal);
        Assert.Equal(StrictRefusal.NotFound, (await Apply(Op(OperationKind.Get, "never"))).Outcome!.Refusal);
        Assert.Equal(new CounterRecord(Counter("views"), 5, At), await Store().ReadCounterAsync(Counter("views"), CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_is_stored_with_the_changes_and_a_second_call_replays_it_without_applying()
    {
        await Strict(("a", 1));
        var claim = Claim("retry-1", At, At.AddHours(1));

        var first = await Apply(claim, Op(OperationKind.Inc, "a", 1));
        var second = await Apply(claim, Op(OperationKind.Inc, "a", 1));

        var record = new IdempotencyRecord("acme", "retry-1", "fingerprint", 200, """{"value":2}""", At.AddHours(1));
        Assert.Equal(2, first.Outcome!.Results[0].Value);
        Assert.Null(first.Replayed);
        Assert.Null(second.Outcome);
        Assert.Equal(record, second.Replayed);
        Assert.Equal(record, await Store().ReadIdempotencyAsync("acme", "retry-1", At, CancellationToken.None));
        await AssertValues(("a", 2, ChangedAt));

        // Once the record has expired, the key is free again.
        var later = await Apply(Claim("retry-1", At.AddHours(2), At.AddHours(3)), Op(OperationKind.Inc, "a", 1));

        Assert.Equal(3, later.Outcome!.Results[0].Value);
        Assert.Equal(record with { Body = """{"value":3}""", ExpiresAt = At.AddHours(3) }, await Store().ReadIdempotencyAsync("acme", "retry-1", At.AddHours(2), CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_is_stored_with_an_answer_that_applied_nothing_and_a_key_saved_before_is_replayed()
    {
        await Strict(("a", 1));
        await Store().TrySaveIdempotencyAsync(Record("acme", "saved", "earlier", At.AddHours(1)), At, CancellationToken.None);

        var answered = await Apply(Claim("retry-1", At, At.AddHours(1)), Op(OperationKind.IncIf, "a", 1, new Condition(Comparator.Eq, 0)));
        var replayed = await Apply(Claim("saved", At, At.AddHours(1)), Op(OperationKind.Inc, "a", 1));

        Assert.False(answered.Outcome!.Results[0].Applied);
        Assert.Equal("""{"value":1}""", (await Store().ReadIdempotencyAsync("acme", "retry-1", At, CancellationToken.None))!.Body);
        Assert.Equal(Record("acme", "saved", "earlier", At.AddHours(1)), replayed.Replayed);
        await AssertValues(("a", 1, At));
    }

    [Fact]
    public async Task A_refused_batch_stores_no_claim()
    {
        await Strict(("a", 1));
        var claim = Claim("retry-1", At, At.AddHours(1));

        var refused = await Apply(claim, Op(OperationKind.Inc, "a", 1), Op(OperationKind.IncIf, "a", 1, new Condition(Comparator.Gt, 100)));

        Assert.Equal(StrictRefusal.ConditionFailed, refused.Outcome!.Refusal);
        Assert.Null(await Store().ReadIdempotencyAsync("acme", "retry-1", At, CancellationToken.None));
        Assert.Equal(2, (await Apply(claim, Op(OperationKind.Inc, "a", 1))).Outcome!.Results[0].Value);
    }

    [Fact]
    public async Task A_claim_whose_answer_fails_fails_its_batch_alone_with_nothing_of_it_applied()
    {
        await Strict(("a", 0));
        var store = Store();
        var failing = new IdempotencyClaim("acme", "bad", "fingerprint", At, At.AddHours(1), _ => throw new InvalidOperationException("no answer"));

        var batches = Enumerable.Range(0, 10)
            .Select(index => store.ApplyStrictAsync("acme", [Op(OperationKind.Inc, "a", 1)], index == 5 ? failing : null, CancellationToken.None))
            .ToList();

        await Assert.ThrowsAsync<InvalidOperationException>(() => batches[5]);
        await Task.WhenAll(batches.Where((_, index) => index != 5));
        Assert.Equal(9, (await Store().ReadStrictAsync(Counter("a"), CancellationToken.None))!.Value);
        Assert.Null(await Store().ReadIdempotencyAsync("acme", "bad", At, CancellationToken.None));
    }

    [Fact]
    public async Task The_largest_batch_changes_99_counters_with_its_claim_and_a_larger_one_is_refused_before_anything_is_read()
    {
        var names = Enumerable.Range(0, StrictRequest.MaxRows).Select(index => $"c{index:D3}").ToArray();
        var store = Store();
        await Task.WhenAll(names.Select(name => store.TryCreateCounterAsync(new CounterRecord(Counter(name), 0, At, CounterMode.Strict), CancellationToken.None)));
        var all = names.Select(name => Op(OperationKind.Inc, name, 1)).ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => Apply(Claim("big", At, At.AddHours(1)), all));
        var applied = await Apply(Claim("big", At, At.AddHours(1)), all[1..]);
        Assert.Equal(StrictRequest.MaxRows - 1, applied.Outcome!.Results.Count);
        Assert.Equal(StrictRequest.MaxRows, (await Apply(all)).Outcome!.Results.Count);

        Assert.Equal(1, (await Store().ReadStrictAsync(Counter(names[0]), CancellationToken.None))!.Value);
        Assert.Equal(2, (await Store().ReadStrictAsync(Counter(names[^1]), CancellationToken.None))!.Value);
    }

    [Fact]
    public async Task A_batch_that_breaks_the_rules_is_refused_before_anything_is_stored()
    {
        var store = Store();
        CounterOperation[] inc = [Op(OperationKind.Inc, "a", 1)];

        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => store.ApplyStrictAsync("a/b", inc, null, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCounterKeyException>(() => store.ApplyStrictAsync("acme", [Op(OperationKind.Inc, "a#b", 1)], null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyStrictAsync("acme", [], null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyStrictAsync("acme", [.. Enumerable.Repeat(inc[0], StrictBatch.MaxOperations + 1)], null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyStrictAsync("acme", inc, Claim("k", At, At.AddHours(1)) with { Scope = "other" }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ApplyStrictAsync("acme", inc, null, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Concurrent_increments_of_one_strict_counter_all_count()
    {
        await Strict(("hot", 0));
        var store = Store();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var index = 0; index < IncrementsPerWriter; index++)
            {
                await store.ApplyStrictAsync("acme", [Op(OperationKind.Inc, "hot", 1)], null, CancellationToken.None);
            }
        })));

        Assert.Equal(Writers * IncrementsPerWriter, (await Store().ReadStrictAsync(Counter("hot"), CancellationToken.None))!.Value);
    }

    [Fact]
    public async Task Concurrent_conditional_increments_never_pass_their_bound_and_one_claim_applies_once()
    {
        await Strict(("seats", 0), ("once", 0));
        var store = Store();
        var claim = Claim("once", At, At.AddHours(1));
        var attempts = 100 / Writers + 2;

        var answers = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            var applied = 0;
            var replayed = 0;
            for (var index = 0; index < attempts; index++)
            {
                var seat = await store.ApplyStrictAsync("acme", [Op(OperationKind.IncIf, "seats", 1, new Condition(Comparator.Lt, 100))], null, CancellationToken.None);
                applied += seat.Outcome!.Results[0].Applied ? 1 : 0;
                replayed += (await store.ApplyStrictAsync("acme", [Op(OperationKind.Inc, "once", 1)], claim, CancellationToken.None)).Replayed is null ? 0 : 1;
            }

            return (applied, replayed);
        })));

        Assert.Equal(100, answers.Sum(answer => answer.applied));
        Assert.Equal((Writers * attempts) - 1, answers.Sum(answer => answer.replayed));
        await AssertValues(("seats", 100, ChangedAt), ("once", 1, ChangedAt));
    }

    protected static CounterKey Counter(string name) => CounterKey.Create("acme", name);

    protected static CounterOperation Op(OperationKind kind, string counter, long amount = 0, Condition? condition = null) => new(kind, counter, amount, condition);

    /// <summary>A claim whose answer is the first result's value.</summary>
    protected static IdempotencyClaim Claim(string key, DateTimeOffset now, DateTimeOffset expiresAt) =>
        new("acme", key, "fingerprint", now, expiresAt, outcome => new StoredAnswer(200, $$"""{"value":{{outcome.Results[0].Value}}}"""));

    protected Task<StrictApplied> Apply(params CounterOperation[] operations) => Apply(null, operations);

    protected Task<StrictApplied> Apply(IdempotencyClaim? claim, params CounterOperation[] operations) =>
        Store().ApplyStrictAsync("acme", operations, claim, CancellationToken.None);

    /// <summary>Creates strict counters in tenant acme.</summary>
    protected async Task Strict(params (string Name, long Value)[] counters)
    {
        foreach (var (name, value) in counters)
        {
            Assert.True(await Store().TryCreateCounterAsync(new CounterRecord(Counter(name), value, At, CounterMode.Strict), CancellationToken.None));
        }
    }

    private async Task AssertValues(params (string Name, long Value, DateTimeOffset UpdatedAt)[] expected)
    {
        foreach (var (name, value, updatedAt) in expected)
        {
            Assert.Equal(new StrictValue(Counter(name), value, updatedAt), await Store().ReadStrictAsync(Counter(name), CancellationToken.None));
        }
    }
}
