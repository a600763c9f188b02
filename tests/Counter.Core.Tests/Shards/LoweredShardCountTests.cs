namespace Counter.Core.Tests.Shards;

/// <summary>ShardCount only decides where new increments go; a shard beyond it still hands over what it holds.</summary>
public sealed class LoweredShardCountTests
{
    private static readonly CounterOptions Lowered = Given.Options(shardCount: 2, shardMinIncrements: 3, shardDelaySeconds: 5);

    [Fact]
    public void A_shard_beyond_the_lowered_count_still_flushes_by_its_timer_into_the_global_total()
    {
        var shard = new ShardState();
        var global = new GlobalState();
        ShardOperations.ApplyAdd(shard, Given.Add(("a", 4)), Given.Shard(7, Given.Options(shardCount: 8), Given.At(0)));

        var flush = Effects.SingleMerge(ShardOperations.ApplyTick(shard, new FlushTick(1), Given.Shard(7, Lowered, Given.At(5))));
        GlobalOperations.ApplyMerge(global, flush, Given.Global(Lowered, Given.At(5)));

        Assert.Equal("7", flush.Shard);
        Assert.Equal(4, global.Totals[Given.Key("a")]);
        Assert.Equal(1, global.Shards["7"].Merges);
    }

    [Fact]
    public void A_shard_beyond_the_lowered_count_still_flushes_by_its_threshold()
    {
        var shard = new ShardState();
        ShardOperations.ApplyAdd(shard, Given.Add(("a", 1), ("a", 1)), Given.Shard(7, Lowered, Given.At(0)));

        var step = ShardOperations.ApplyAdd(shard, Given.Add(("a", 1)), Given.Shard(7, Lowered, Given.At(1)));

        Assert.Equal(3, Effects.SingleMerge(step).Deltas.Single().Delta);
    }

    [Fact]
    public void A_shard_beyond_the_lowered_count_still_flushes_on_write()
    {
        var shard = new ShardState();
        ShardOperations.ApplyAdd(shard, Given.Add(("a", 6)), Given.Shard(7, Given.Options(shardCount: 8), Given.At(0)));

        var step = ShardOperations.ApplyWrite(shard, Given.Shard(7, Lowered, Given.At(1)));

        Assert.Equal("7", Effects.SingleMerge(step).Shard);
    }

    [Fact]
    public void Totals_from_shards_inside_and_beyond_the_lowered_count_add_up()
    {
        var global = new GlobalState();
        var shards = new[] { 0, 1, 5, 7 }.ToDictionary(index => index, _ => new ShardState());
        foreach (var (index, shard) in shards)
        {
            ShardOperations.ApplyAdd(shard, Given.Add(("a", 1)), Given.Shard(index, Given.Options(shardCount: 8), Given.At(0)));
        }

        foreach (var (index, shard) in shards)
        {
            var flush = Effects.SingleMerge(ShardOperations.ApplyTick(shard, new FlushTick(1), Given.Shard(index, Lowered, Given.At(5))));
            GlobalOperations.ApplyMerge(global, flush, Given.Global(Lowered, Given.At(5)));
        }

        Assert.Equal(4, global.Totals[Given.Key("a")]);
        Assert.Equal(["0", "1", "5", "7"], global.Shards.Keys.Order());
    }
}
