namespace Counter.Core.Tests.Global;

public sealed class GlobalPartitionsTests
{
    [Fact]
    public void A_counters_partition_is_fixed_by_its_tenant_and_name_alone()
    {
        // The same numbers in every process, version and platform: FNV-1a of "tenant/name" in UTF-8.
        Assert.Equal(0, GlobalPartitions.Of(Given.Key("likes"), 1));
        Assert.Equal(Expected("default/likes", 16), GlobalPartitions.Of(Given.Key("likes"), 16));
        Assert.Equal(Expected("default/日本", 256), GlobalPartitions.Of(Given.Key("日本"), 256));
        Assert.Equal(Expected("blog/likes", 3), GlobalPartitions.Of(CounterKey.Create("blog", "likes"), 3));
        Assert.Equal(9, GlobalPartitions.Of(Given.Key("likes"), 16));
    }

    [Fact]
    public void One_partition_is_the_global_entity_totals_always_had()
    {
        Assert.Equal([EntityAddress.Global], GlobalPartitions.All(1));
        Assert.Equal(new EntityAddress("global", "15"), GlobalPartitions.All(16)[15]);
    }

    [Fact]
    public void A_flush_sends_each_partition_its_counters_with_a_sequence_of_its_own()
    {
        var options = new CounterOptions { GlobalPartitions = 16, ShardMinIncrementsToGlobal = 1000 };
        var context = Given.Shard(0, options, Given.At(0));
        var state = new ShardState();
        var counters = Enumerable.Range(0, 40).Select(i => $"c{i}").ToList();

        ShardOperations.ApplyAdd(state, Given.Add([.. counters.Select(counter => (counter, 1L))]), context);
        var first = Merges(ShardOperations.ApplyWrite(state, context));
        ShardOperations.ApplyAdd(state, Given.Add(("c0", 1)), context);
        var second = Merges(ShardOperations.ApplyWrite(state, context));

        Assert.Equal(first.Count, first.Select(static merge => merge.Target).Distinct().Count());
        Assert.All(first, static merge => Assert.All(merge.Flush.Deltas, delta => Assert.Equal(GlobalPartitions.AddressOf(delta.Counter, 16), merge.Target)));
        Assert.All(first, static merge => Assert.Equal(1, merge.Flush.Sequence));
        Assert.Equal(40, first.Sum(static merge => merge.Flush.IncrementCount));
        var again = Assert.Single(second);
        Assert.Equal(GlobalPartitions.AddressOf(Given.Key("c0"), 16), again.Target);
        Assert.Equal(2, again.Flush.Sequence);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void Totals_are_the_sum_of_the_increments_whatever_the_partitions_and_however_often_flushes_arrive(int partitions)
    {
        var options = new CounterOptions { GlobalPartitions = partitions, ShardMinIncrementsToGlobal = 2, ShardCount = 3 };
        var random = new Random(partitions);
        var expected = new Dictionary<CounterKey, long>();
        var shards = Enumerable.Range(0, 3).Select(static _ => new ShardState()).ToList();
        var merges = new List<(EntityAddress Target, ShardFlush Flush)>();
        for (var i = 0; i < 500; i++)
        {
            var counter = Given.Key($"counter{random.Next(60)}");
            var delta = (long)random.Next(-3, 10);
            expected[counter] = expected.GetValueOrDefault(counter) + delta;
            var shard = random.Next(3);
            merges.AddRange(Merges(ShardOperations.ApplyAdd(shards[shard], new AddIncrements([new Increment(counter, delta)]), Given.Shard(shard, options, Given.At(i)))));
        }

        for (var shard = 0; shard < 3; shard++)
        {
            merges.AddRange(Merges(ShardOperations.ApplyWrite(shards[shard], Given.Shard(shard, options, Given.At(600)))));
        }

        // At least once and out of order: every flush twice, shuffled.
        var delivered = merges.Concat(merges).OrderBy(_ => random.Next()).ToList();
        var globals = GlobalPartitions.All(partitions).ToDictionary(static address => address, static _ => new GlobalState());
        foreach (var (target, flush) in delivered)
        {
            GlobalOperations.ApplyMerge(globals[target], flush, new EntityContext(target, options, Given.At(700)));
        }

        var totals = globals.Values.SelectMany(static global => global.Totals).ToDictionary(static total => total.Key, static total => total.Value);
        Assert.Equal(expected.OrderBy(static total => total.Key), totals.OrderBy(static total => total.Key));
        Assert.Equal(merges.Count, globals.Values.Sum(static global => global.DuplicateFlushes));
    }

    [Fact]
    public void Totals_kept_with_another_partition_count_are_refused_with_what_to_do()
    {
        GlobalState Kept(int partitions) => new() { Partitions = partitions };

        Assert.Null(GlobalPartitions.ProblemWith([(EntityAddress.Global, new GlobalState())], 1));
        Assert.Null(GlobalPartitions.ProblemWith([(new EntityAddress("global", "2"), Kept(3))], 3));
        var problem = GlobalPartitions.ProblemWith([(EntityAddress.Global, new GlobalState())], 16);
        Assert.Equal(
            "Counters:GlobalPartitions is 16, but the totals in this storage were kept with 1 (global entity global/default): changing it would "
            + "move counters to other global entities and lose or double counts. Set it back to 1, or count with 16 partitions on new, empty storage.",
            problem);
        Assert.NotNull(GlobalPartitions.ProblemWith([(new EntityAddress("global", "2"), Kept(3))], 4));
        Assert.NotNull(GlobalPartitions.ProblemWith([(new EntityAddress("global", "7"), Kept(16))], 8));
    }

    [Fact]
    public void A_global_entity_records_the_partition_count_it_works_with()
    {
        var options = new CounterOptions { GlobalPartitions = 3 };
        var state = new GlobalState();

        GlobalOperations.ApplyMerge(state, Given.Flush("0", 1, ("a", 1)), new EntityContext(GlobalPartitions.Address(1, 3), options, Given.At(0)));

        Assert.Equal(3, state.Partitions);
    }

    private static List<(EntityAddress Target, ShardFlush Flush)> Merges(EntityStep<ShardState> step) =>
        [.. step.Effects.OfType<SignalEffect>().Where(static signal => signal.Operation == GlobalOperations.Merge)
            .Select(static signal => (signal.Target, (ShardFlush)signal.Input!))];

    private static int Expected(string text, int partitions)
    {
        var hash = 2166136261u;
        foreach (var octet in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ octet) * 16777619u);
        }

        return (int)(hash % (uint)partitions);
    }
}
