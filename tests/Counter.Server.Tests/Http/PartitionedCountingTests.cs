using System.Net.Http.Json;
using Counter.Core;

namespace Counter.Server.Tests.Http;

/// <summary>Totals split over several global partitions, through HTTP: the same counts, each counter in its own partition.</summary>
public sealed class PartitionedCountingTests
{
    [Fact]
    public async Task Totals_over_sixteen_partitions_reach_the_read_path_and_the_inspection_routes_show_each_partition()
    {
        await using var server = new CounterServerFactory().WithSetting("Counters:GlobalPartitions", "16");
        var client = server.CreateClient();
        var counters = Enumerable.Range(0, 40).ToDictionary(static i => $"c{i}", static i => (long)i + 1);

        using (var accepted = await client.PostAsJsonAsync("/increments", counters))
        {
            accepted.EnsureSuccessStatusCode();
        }

        await client.IncrementAsync("c0", "?by=10");
        await server.SettleAsync();

        var expected = new Dictionary<string, long>(counters) { ["c0"] = 11 };
        Assert.Equal(expected.OrderBy(static c => c.Key, StringComparer.Ordinal), (await client.ReadCountersAsync()).OrderBy(static c => c.Key, StringComparer.Ordinal));
        var global = await client.GetJsonAsync("/global/counters");
        var partitions = global.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(16, partitions.Count);
        foreach (var partition in partitions)
        {
            foreach (var counter in partition.GetProperty("counters").EnumerateObject())
            {
                Assert.Equal(GlobalPartitions.Of(CounterKey.InDefaultTenant(counter.Name), 16), partition.GetProperty("partition").GetInt32());
            }
        }

        var writes = await client.GetJsonAsync("/global/writes");
        Assert.Equal(
            partitions.Count(static partition => partition.GetProperty("counters").EnumerateObject().Any()),
            writes.GetProperty("writes").EnumerateArray().Select(static write => write.GetProperty("partition").GetInt32()).Distinct().Count());
        var shardWrites = await client.GetJsonAsync("/global/shardWrites");
        Assert.Equal(
            shardWrites.GetProperty("total").GetInt64(),
            shardWrites.GetProperty("partitions").EnumerateObject().Sum(static partition => partition.Value.EnumerateObject().Sum(static shard => shard.Value.GetInt64())));
    }

    [Fact]
    public async Task A_reset_goes_to_the_counters_partition()
    {
        await using var server = new CounterServerFactory().WithSetting("Counters:GlobalPartitions", "5");
        var client = server.CreateClient();
        await client.IncrementAsync("likes", "?by=7");
        await client.IncrementAsync("views", "?by=3");
        await server.SettleAsync();

        using (var reset = await client.PostAsync(new Uri("/global/reset/likes", UriKind.Relative), null))
        {
            reset.EnsureSuccessStatusCode();
        }

        await server.SettleAsync();
        var counters = await client.ReadCountersAsync();
        Assert.Equal(0, counters["likes"]);
        Assert.Equal(3, counters["views"]);
    }
}
