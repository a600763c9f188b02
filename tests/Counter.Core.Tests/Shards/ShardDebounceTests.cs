namespace Counter.Core.Tests.Shards;

public sealed class ShardDebounceTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 100, shardDelaySeconds: 5);

    [Fact]
    public void The_first_buffered_increment_arms_a_timer_for_the_next_flush()
    {
        var state = new ShardState();
        var context = Given.Shard(1, Options, Given.At(10));

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), context);

        var (tick, at) = Effects.SingleTimer<ShardState, FlushTick>(step, context);
        Assert.Equal(new FlushTick(1), tick);
        Assert.Equal(Given.At(15), at);
        Assert.Equal(Given.At(15), state.FlushDueAt);
    }

    [Fact]
    public void Further_increments_do_not_push_the_timer_back()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));

        var later = Enumerable.Range(1, 4)
            .Select(second => ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(second))))
            .ToList();

        Assert.All(later, step => Assert.Empty(step.Effects));
        Assert.Equal(Given.At(5), state.FlushDueAt);
    }

    [Fact]
    public void The_timer_flushes_everything_buffered_since_it_was_armed()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyAdd(state, Given.Add(("a", 2), ("b", 3)), Given.Shard(0, Options, Given.At(4)));

        var step = ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(5)));

        var flush = Effects.SingleMerge(step);
        Assert.Equal(1, flush.Sequence);
        Assert.Equal(3, flush.IncrementCount);
        Assert.Equal(
            [new Increment(Given.Key("a"), 3), new Increment(Given.Key("b"), 3)],
            flush.Deltas.OrderBy(delta => delta.Counter));
        Assert.Null(state.FlushDueAt);
    }

    [Fact]
    public void After_a_timer_flush_the_next_increment_re_arms_a_timer_for_the_next_sequence()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(5)));
        var context = Given.Shard(0, Options, Given.At(7));

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), context);

        var (tick, at) = Effects.SingleTimer<ShardState, FlushTick>(step, context);
        Assert.Equal(new FlushTick(2), tick);
        Assert.Equal(Given.At(12), at);
    }

    [Fact]
    public void After_the_buffer_was_forgotten_the_timer_still_ends_and_the_next_increment_arms_another()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 50)), Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyForget(state, new ForgetCounters([Given.Key("a")], null), Given.Shard(0, Options, Given.At(1)));
        Assert.Empty(ShardOperations.ApplyTick(state, new FlushTick(1), Given.Shard(0, Options, Given.At(5))).Effects);
        var context = Given.Shard(0, Options, Given.At(7));

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), context);

        var (tick, at) = Effects.SingleTimer<ShardState, FlushTick>(step, context);
        Assert.Equal(Given.At(12), at);
        var flush = Effects.SingleMerge(ShardOperations.ApplyTick(state, tick, Given.Shard(0, Options, at)));
        Assert.Equal([new Increment(Given.Key("a"), 1)], flush.Deltas);
    }

    [Fact]
    public void After_a_threshold_flush_the_next_increment_re_arms_a_timer_for_the_next_sequence()
    {
        var options = Given.Options(shardMinIncrements: 2, shardDelaySeconds: 5);
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, options, Given.At(0)));
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, options, Given.At(1)));
        var context = Given.Shard(0, options, Given.At(2));

        var step = ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), context);

        var (tick, at) = Effects.SingleTimer<ShardState, FlushTick>(step, context);
        Assert.Equal(new FlushTick(2), tick);
        Assert.Equal(Given.At(7), at);
    }

    [Fact]
    public void Under_steady_load_no_increment_waits_longer_than_the_delay()
    {
        var state = new ShardState();
        var arrivals = new List<DateTimeOffset>();
        var waits = new List<TimeSpan>();

        // One increment a second for a minute; every timer that comes due fires at its due time.
        for (var second = 0; second < 60; second++)
        {
            var now = Given.At(second);
            if (state.FlushDueAt is { } due && due <= now)
            {
                var flushed = ShardOperations.ApplyTick(state, new FlushTick(state.NextSequence), Given.Shard(0, Options, due));
                Effects.SingleMerge(flushed);
                waits.AddRange(arrivals.Select(arrival => due - arrival));
                arrivals.Clear();
            }

            ShardOperations.ApplyAdd(state, Given.Add(("a", 1)), Given.Shard(0, Options, now));
            arrivals.Add(now);
        }

        Assert.NotEmpty(waits);
        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, Options.ShardWriteToGlobalAfter));
    }
}
