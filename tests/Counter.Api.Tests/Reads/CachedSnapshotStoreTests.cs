using Counter.Core;
using Counter.Storage;
using Counter.Testing;

namespace Counter.Api.Tests.Reads;

/// <summary>
/// The read cache over a real SQLite snapshot file. A second store on the same file writes "behind the back" of the
/// cache, as another process of a Durable hub writes the shared table: what shows through tells whether a read went to
/// the store or was served from the cache.
/// </summary>
public sealed class CachedSnapshotStoreTests : IDisposable
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(2);
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CounterKey Likes = CounterKey.InDefaultTenant("likes");
    private readonly TempDirectory folder = new();
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public async Task A_read_is_served_from_the_cache_until_its_time_to_live_has_passed()
    {
        using var cached = Cache(Store());
        await cached.WriteAsync(Batch(1, (Likes, 10)), default);
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);

        await Store().WriteAsync(Batch(2, (Likes, 20)), default);
        clock.Advance(TimeToLive - TimeSpan.FromMilliseconds(1));
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new SnapshotRow(Likes, 20, 2, Noon), await cached.ReadAsync(Likes, default));
    }

    [Fact]
    public async Task A_counter_the_store_does_not_have_is_cached_as_not_found_too()
    {
        using var cached = Cache(Store());
        Assert.Null(await cached.ReadAsync(Likes, default));

        await Store().WriteAsync(Batch(1, (Likes, 10)), default);
        Assert.Null(await cached.ReadAsync(Likes, default));

        clock.Advance(TimeToLive);
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);
    }

    [Fact]
    public async Task A_snapshot_written_through_the_cache_is_read_at_once_found_or_not_before()
    {
        var views = CounterKey.InDefaultTenant("views");
        using var cached = Cache(Store());
        await cached.WriteAsync(Batch(1, (Likes, 10)), default);
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);
        Assert.Null(await cached.ReadAsync(views, default));

        await cached.WriteAsync(Batch(2, (Likes, 20), (views, 5)), default);

        Assert.Equal(new SnapshotRow(Likes, 20, 2, Noon), await cached.ReadAsync(Likes, default));
        Assert.Equal(new SnapshotRow(views, 5, 2, Noon), await cached.ReadAsync(views, default));
    }

    [Fact]
    public async Task A_late_write_of_an_older_snapshot_never_replaces_a_newer_cached_row()
    {
        using var cached = Cache(Store());
        await cached.WriteAsync(Batch(5, (Likes, 50)), default);
        Assert.Equal(50, (await cached.ReadAsync(Likes, default))!.Value);

        await cached.WriteAsync(Batch(3, (Likes, 30)), default);

        Assert.Equal(new SnapshotRow(Likes, 50, 5, Noon), await cached.ReadAsync(Likes, default));
    }

    [Fact]
    public async Task Counters_not_read_yet_are_not_cached_by_a_write()
    {
        using var cached = Cache(Store());
        await cached.WriteAsync(Batch(1, (Likes, 10), (CounterKey.InDefaultTenant("views"), 5)), default);
        Assert.Equal(0, cached.Count);
    }

    [Fact]
    public async Task A_read_of_the_store_that_started_before_a_write_cannot_put_the_older_row_back()
    {
        var gated = new GatedReads(Store());
        using var cached = Cache(gated);
        await cached.WriteAsync(Batch(1, (Likes, 10)), default);

        var reading = cached.ReadAsync(Likes, default);
        var stale = await gated.ReadDone.Task;
        await cached.WriteAsync(Batch(2, (Likes, 20)), default);
        gated.Release.SetResult();

        Assert.Equal(10, stale!.Value);
        Assert.Equal(20, (await reading)!.Value);
        Assert.Equal(20, (await cached.ReadAsync(Likes, default))!.Value);
    }

    [Fact]
    public async Task A_removed_counter_is_dropped_from_the_cache_and_read_from_the_store_again()
    {
        using var cached = Cache(Store());
        await cached.WriteAsync(Batch(1, (Likes, 10)), default);
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);
        // The store holds it at a version above the removal's, so it keeps the row: what shows is the store's.
        await Store().WriteAsync(Batch(4, (Likes, 40)), default);

        await cached.WriteAsync(new SnapshotBatch(3, Noon, [], [Likes]), default);

        Assert.Equal(40, (await cached.ReadAsync(Likes, default))!.Value);
    }

    [Fact]
    public async Task Removing_a_tenant_forwards_to_the_store_and_drops_that_tenants_counters_only()
    {
        var acmeLikes = CounterKey.Create("acme", "likes");
        var removals = new RecordedTenantRemovals(Store());
        using var cached = Cache(removals);
        await cached.WriteAsync(Batch(1, (Likes, 10), (acmeLikes, 1)), default);
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);
        Assert.Equal(1, (await cached.ReadAsync(acmeLikes, default))!.Value);
        await Store().WriteAsync(Batch(2, (Likes, 20), (acmeLikes, 2)), default);

        await cached.RemoveTenantAsync("acme", default);

        Assert.Equal(["acme"], removals.Tenants);
        Assert.Equal(2, (await cached.ReadAsync(acmeLikes, default))!.Value);
        Assert.Equal(10, (await cached.ReadAsync(Likes, default))!.Value);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_size_limit_and_reads_beyond_it_still_answer()
    {
        using var cached = Cache(Store(), sizeLimit: 3);
        var keys = Enumerable.Range(0, 20).Select(index => CounterKey.InDefaultTenant($"c{index}")).ToList();
        await cached.WriteAsync(new SnapshotBatch(1, Noon, keys.Select((key, index) => new SnapshotRow(key, index, 1, Noon)).ToList()), default);

        foreach (var (key, index) in keys.Select((key, index) => (key, index)))
        {
            Assert.Equal(index, (await cached.ReadAsync(key, default))!.Value);
            Assert.InRange(cached.Count, 0, 3);
        }
    }

    [Fact]
    public async Task Pages_are_read_from_the_store_every_time()
    {
        using var cached = Cache(Store());
        await cached.WriteAsync(Batch(1, (Likes, 10)), default);
        Assert.Equal(10, (await cached.ReadPageAsync(CounterKey.DefaultTenant, null, null, 10, default)).Rows.Single().Value);

        await Store().WriteAsync(Batch(2, (Likes, 20)), default);

        Assert.Equal(20, (await cached.ReadPageAsync(CounterKey.DefaultTenant, null, null, 10, default)).Rows.Single().Value);
    }

    public void Dispose() => folder.Dispose();

    private SqliteSnapshotStore Store() => new(folder.File("counters.db"), SqliteSynchronous.Full);

    private CachedSnapshotStore Cache(ISnapshotStore inner, int sizeLimit = 100) =>
        new(inner, new ReadCacheOptions { SizeLimit = sizeLimit, TimeToLive = TimeToLive }, clock);

    private static SnapshotBatch Batch(long version, params (CounterKey Key, long Value)[] rows) =>
        new(version, Noon, rows.Select(row => new SnapshotRow(row.Key, row.Value, version, Noon)).ToList());
}
