using System.Net;
using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Http;

/// <summary>
/// <c>GET /counters/{counter}</c> through the embedded host's read cache: the host's own snapshots show at once, a row
/// put in the SQLite file behind its back only once the cached value's time to live has passed.
/// </summary>
public sealed class ReadCacheTests
{
    [Fact]
    public async Task The_host_reads_and_writes_its_snapshots_through_one_cache()
    {
        await using var server = new CounterServerFactory();

        Assert.IsType<CachedSnapshotStore>(server.Services.GetRequiredService<ICounterBackend>().Snapshots);
        Assert.Same(server.Services.GetRequiredService<ISnapshotStore>(), server.Services.GetRequiredService<ICounterBackend>().Snapshots);
    }

    [Fact]
    public async Task A_snapshot_the_host_writes_shows_at_once_although_the_cached_value_has_not_expired()
    {
        // A time to live far longer than the debounces that SettleAsync moves the clock past (5 s + 5 s).
        await using var server = new CounterServerFactory().WithSetting("ReadCache:TimeToLive", "00:01:00");
        var client = server.CreateClient();
        await client.IncrementAsync("likes", "?by=3");
        using (var notYet = await client.GetAsync("/counters/likes"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
        }

        await server.SettleAsync();
        Assert.Equal(3, (await client.GetJsonAsync("/counters/likes")).GetProperty("value").GetInt64());

        await client.IncrementAsync("likes", "?by=2");
        await server.SettleAsync();
        Assert.Equal(5, (await client.GetJsonAsync("/counters/likes")).GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task A_row_written_to_the_file_behind_the_hosts_back_shows_only_after_the_time_to_live()
    {
        await using var server = new CounterServerFactory();
        var client = server.CreateClient();
        await client.IncrementAsync("likes", "?by=3");
        await server.SettleAsync();
        Assert.Equal(3, (await client.GetJsonAsync("/counters/likes")).GetProperty("value").GetInt64());

        var behindTheBack = new SqliteSnapshotStore(Path.Combine(server.DataPath, "counters.db"), SqliteSynchronous.Full);
        var now = server.Clock.GetUtcNow();
        await behindTheBack.WriteAsync(new SnapshotBatch(1_000, now, [new SnapshotRow(CounterKey.InDefaultTenant("likes"), 42, 1_000, now)]), default);

        server.Clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, (await client.GetJsonAsync("/counters/likes")).GetProperty("value").GetInt64());
        server.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(42, (await client.GetJsonAsync("/counters/likes")).GetProperty("value").GetInt64());
    }
}
