using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Counter.Testing;

namespace Counter.Server.Tests.Http;

public sealed class CountingTests
{
    [Fact]
    public async Task Reaching_both_thresholds_puts_the_totals_on_the_read_path_without_any_timer()
    {
        await using var server = new CounterServerFactory()
            .WithSetting("Counters:ShardCount", "1")
            .WithSetting("Counters:ShardMinIncrementsToGlobal", "10")
            .WithSetting("Counters:GlobalMinWritesToSnapshot", "2");
        var client = server.CreateClient();

        // Ten at a time, each ten processed before the next: the runtime delivers the adds waiting for a shard as one, so
        // twenty sent at once could reach it as 15 and 5, one flush rather than two.
        for (var flush = 0; flush < 2; flush++)
        {
            for (var i = 0; i < 10; i++)
            {
                await client.IncrementAsync("likes");
            }

            await server.WhenIdleAsync();
        }

        await server.Runtime.WhenSnapshotsDeliveredAsync(default);
        Assert.Equal(20, (await client.ReadCountersAsync())["likes"]);
        Assert.Equal(2, (await client.GetJsonAsync("/global/shardWrites")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Below_the_thresholds_the_read_path_catches_up_when_the_debounce_timers_fire()
    {
        await using var server = new CounterServerFactory();
        var client = server.CreateClient();
        await client.IncrementAsync("likes", "?by=5");
        await client.IncrementAsync("likes", "?by=-2");

        await server.WhenIdleAsync();
        using (var before = await client.GetAsync("/counters/likes"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        await server.SettleAsync();
        var likes = await client.GetJsonAsync("/counters/likes");
        Assert.Equal(3, likes.GetProperty("value").GetInt64());
        Assert.Equal(1, likes.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_batch_of_increments_lands_on_one_shard_in_one_signal()
    {
        await using var server = new CounterServerFactory();
        var client = server.CreateClient();

        using var response = await client.PostAsJsonAsync("/increments?shard=2", new Dictionary<string, long> { ["a"] = 1, ["b"] = 5, ["ü"] = -3 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, accepted.GetProperty("counters").GetInt32());
        Assert.Equal(2, accepted.GetProperty("shard").GetInt32());
        await server.WhenIdleAsync();
        var shard = await client.GetStringAsync("/shard/2/counters");
        Assert.Contains("\"ü\":-3", shard, StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(shard).RootElement.GetProperty("pendingIncrements").GetInt64());
        await server.SettleAsync();
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 5, ["ü"] = -3 }, await client.ReadCountersAsync());
    }

    [Fact]
    public async Task Fifty_concurrent_clients_of_a_thousand_increments_each_sum_exactly()
    {
        await using var server = new CounterServerFactory();
        var clients = Enumerable.Range(0, 50).Select(_ => server.CreateClient()).ToList();

        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await client.IncrementAsync($"hits-{index % 5}");
            }
        }));

        await server.SettleAsync();
        var counters = await clients[0].ReadCountersAsync();
        Assert.Equal(50_000, counters.Values.Sum());
        Assert.All(counters.Values, total => Assert.Equal(10_000, total));
    }

    [Fact]
    public async Task A_restart_keeps_every_accepted_increment()
    {
        using var data = new TempDirectory();
        await using (var first = new CounterServerFactory().WithSetting("Storage:DataPath", data.Path))
        {
            var client = first.CreateClient();
            for (var i = 0; i < 250; i++)
            {
                await client.IncrementAsync("views");
            }
        }

        await using var second = new CounterServerFactory().WithSetting("Storage:DataPath", data.Path);
        var restarted = second.CreateClient();
        await second.SettleAsync();
        Assert.Equal(250, (await restarted.ReadCountersAsync())["views"]);
    }

    [Fact]
    public async Task Shards_beyond_a_lowered_shard_count_keep_their_increments_and_still_flush()
    {
        using var data = new TempDirectory();
        await using (var wide = new CounterServerFactory().WithSetting("Storage:DataPath", data.Path).WithSetting("Counters:ShardCount", "8"))
        {
            var client = wide.CreateClient();
            await client.IncrementAsync("likes", "?shard=7&by=4");
            await wide.WhenIdleAsync();
            // Dropped without the graceful flush, as a crash would, so that shard 7 still holds its increments.
            await wide.Runtime.StopAsync();
        }

        await using var narrow = new CounterServerFactory().WithSetting("Storage:DataPath", data.Path).WithSetting("Counters:ShardCount", "2");
        var restarted = narrow.CreateClient();
        await narrow.WhenIdleAsync();
        var shards = await restarted.GetJsonAsync("/global/shards");
        Assert.Equal(2, shards.GetProperty("shardCount").GetInt32());
        var seven = Assert.Single(shards.GetProperty("shards").EnumerateArray(), shard => shard.GetProperty("shard").GetString() == "7");
        Assert.Equal(4, seven.GetProperty("counters").GetProperty("likes").GetInt64());

        await narrow.SettleAsync();
        Assert.Equal(4, (await restarted.ReadCountersAsync())["likes"]);
    }

    [Fact]
    public async Task Reset_zeroes_the_total_and_later_flushes_add_to_the_zero()
    {
        await using var server = new CounterServerFactory().WithSetting("Counters:ShardCount", "1");
        var client = server.CreateClient();
        await client.IncrementAsync("likes", "?by=10");
        await server.SettleAsync();

        await client.IncrementAsync("likes", "?by=3");
        using (var reset = await client.PostAsync("/global/reset/likes", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        }

        await server.WhenIdleAsync();
        await server.Runtime.WhenSnapshotsDeliveredAsync(default);
        Assert.Equal(0, (await client.ReadCountersAsync())["likes"]);

        await server.SettleAsync();
        Assert.Equal(3, (await client.ReadCountersAsync())["likes"]);
    }

    [Fact]
    public async Task The_read_path_pages_through_counters_with_a_continuation_token()
    {
        await using var server = new CounterServerFactory();
        var client = server.CreateClient();
        var names = Enumerable.Range(0, 25).Select(i => $"c{i:D2}").ToList();
        using (var response = await client.PostAsJsonAsync("/increments", names.ToDictionary(name => name, _ => 1L)))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await server.SettleAsync();
        var seen = new List<string>();
        string? token = null;
        do
        {
            var query = token is null ? "?pageSize=10" : $"?pageSize=10&continuationToken={Uri.EscapeDataString(token)}";
            var page = await client.GetJsonAsync("/counters" + query);
            seen.AddRange(page.GetProperty("counters").EnumerateObject().Select(counter => counter.Name));
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);

        Assert.Equal(names, seen);
    }

    [Fact]
    public async Task A_prefix_narrows_the_read_path_to_the_counters_whose_names_start_with_it()
    {
        await using var server = new CounterServerFactory();
        var client = server.CreateClient();
        using (var response = await client.PostAsJsonAsync("/increments", new Dictionary<string, long> { ["page:home"] = 1, ["page:about"] = 2, ["pages"] = 3, ["clicks"] = 4 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await server.SettleAsync();
        var first = await client.GetJsonAsync("/counters?prefix=page:&pageSize=1");
        var token = first.GetProperty("continuationToken").GetString();
        var second = await client.GetJsonAsync($"/counters?prefix=page:&pageSize=1&continuationToken={Uri.EscapeDataString(token!)}");

        Assert.Equal(["page:about"], first.GetProperty("counters").EnumerateObject().Select(counter => counter.Name));
        Assert.Equal(["page:home"], second.GetProperty("counters").EnumerateObject().Select(counter => counter.Name));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("continuationToken").ValueKind);
    }
}
