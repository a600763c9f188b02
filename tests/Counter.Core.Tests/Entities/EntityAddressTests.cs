namespace Counter.Core.Tests.Entities;

public sealed class EntityAddressTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(int.MaxValue)]
    public void A_shards_index_reads_back_from_its_key(int index) =>
        Assert.Equal(index, EntityAddress.ShardIndex(EntityAddress.Shard(index).Key));

    [Theory]
    [InlineData("default")]
    [InlineData("-1")]
    [InlineData(" 3")]
    [InlineData("")]
    public void A_key_that_no_shard_has_has_no_index(string key) => Assert.Null(EntityAddress.ShardIndex(key));
}
