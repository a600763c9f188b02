namespace Counter.Core.Tests.Shards;

public sealed class ShardForgetTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 100);

    [Fact]
    public void Forgetting_drops_the_buffered_deltas_of_deleted_counters_or_of_a_whole_tenant_only()
    {
        var state = new ShardState();
        var blogLikes = CounterKey.Create("blog", "likes");
        var blogViews = CounterKey.Create("blog", "views");
        var shopLikes = CounterKey.Create("shop", "likes");
        ShardOperations.ApplyAdd(state, new AddIncrements([new(blogLikes, 1), new(blogViews, 2), new(shopLikes, 3), new(Given.Key("a"), 4)]), Given.Shard(0, Options, Given.At(0)));

        ShardOperations.ApplyForget(state, new ForgetCounters([shopLikes], null), Given.Shard(0, Options, Given.At(1)));
        ShardOperations.ApplyForget(state, new ForgetCounters(null, "blog"), Given.Shard(0, Options, Given.At(1)));

        Assert.Equal([Given.Key("a")], state.Pending.Keys);
    }
}
