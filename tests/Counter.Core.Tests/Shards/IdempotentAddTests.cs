namespace Counter.Core.Tests.Shards;

public sealed class IdempotentAddTests
{
    // A delay longer than the test, so that no flush takes the buffer it asserts on.
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 100, shardDelaySeconds: 300);

    [Fact]
    public void An_add_sent_again_with_the_same_key_is_applied_once_until_the_key_expires()
    {
        var state = new ShardState();
        var add = Given.Add(("a", 1)) with { IdempotencyKey = "k1", KeyExpiresAt = Given.At(60) };

        ShardOperations.ApplyAdd(state, add, Given.Shard(0, Options, Given.At(0)));
        ShardOperations.ApplyAdd(state, add, Given.Shard(0, Options, Given.At(30)));
        ShardOperations.ApplyAdd(state, add with { IdempotencyKey = "k2" }, Given.Shard(0, Options, Given.At(30)));
        ShardOperations.ApplyAdd(state, add with { KeyExpiresAt = Given.At(200) }, Given.Shard(0, Options, Given.At(61)));

        Assert.Equal(3, state.Pending[Given.Key("a")]);
        Assert.Equal(1, state.DuplicateAdds);
        Assert.Equal(Given.At(200), state.IdempotencyKeys["k1"]);
    }

    [Fact]
    public void Expired_keys_are_forgotten_when_a_new_key_arrives()
    {
        var state = new ShardState();
        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)) with { IdempotencyKey = "old", KeyExpiresAt = Given.At(10) }, Given.Shard(0, Options, Given.At(0)));

        ShardOperations.ApplyAdd(state, Given.Add(("a", 1)) with { IdempotencyKey = "new", KeyExpiresAt = Given.At(100) }, Given.Shard(0, Options, Given.At(11)));

        Assert.Equal(["new"], state.IdempotencyKeys.Keys);
    }
}
