using Counter.Storage.Tables;
using Counter.Testing.Azurite;

namespace Counter.Storage.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite)
{
    private readonly TableClient table = new(TableConnection.Parse(azurite.ConnectionString), "t" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Upserted_entity_reads_back_with_its_typed_properties()
    {
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var etag = await table.UpsertMergeAsync(Entity("p", "r", long.MaxValue, at), CancellationToken.None);

        var read = await table.GetAsync("p", "r", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(long.MaxValue, read.Get<long>("Value"));
        Assert.Equal(at, read.Get<DateTimeOffset>("UpdatedAt"));
        Assert.Equal(etag, read.ETag);
    }

    private static TableEntity Entity(string partitionKey, string rowKey, long value, DateTimeOffset at) =>
        new(partitionKey, rowKey, new Dictionary<string, object> { ["Value"] = value, ["UpdatedAt"] = at });
}
