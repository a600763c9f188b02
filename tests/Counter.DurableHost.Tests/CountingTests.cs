using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Counter.Durable;
using Counter.Testing.Azurite;

namespace Counter.DurableHost.Tests;

/// <summary>Increments through HTTP, to shards, to the global entity, to the Table snapshot, on the real Azure Storage backend.</summary>
public sealed class CountingTests(AzuriteAccountFixture azurite) : IClassFixture<AzuriteAccountFixture>
{
    private const string Never = "01:00:00";

    [Fact]
    public async Task Scheduled_flushes_carry_increments_to_the_read_path()
    {
        // Thresholds out of reach: only the debounce timers (scheduled signals) move the increments on.
        await using var host = new DurableHostFactory(azurite)
            .WithSetting("Counters:ShardMinIncrementsToGlobal", "100000")
            .WithSetting("Counters:GlobalMinWritesToSnapshot", "100000")
            .WithSetting("Counters:ShardWriteToGlobalAfter", "00:00:01")
            .WithSetting("Counters:GlobalWriteToSnapshotAfter", "00:00:01");
        using var client = await host.StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.IncrementAsync("likes")));
        await client.PostAcceptedAsync("/increments", JsonContent.Create(new Dictionary<string, long> { ["likes"] = 5, ["views"] = 2 }));

        var counters = await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("likes") == 35 && counters.ValueOf("views") == 2);
        Assert.Equal(2, counters.Count);
        var likes = await client.GetJsonAsync("/counters/likes");
        Assert.Equal(35, likes.GetProperty("value").GetInt64());
        Assert.Equal(["views"], Http.CountersOf(await client.GetJsonAsync("/counters?prefix=vi")).Keys);
    }

    [Fact]
    public async Task Thresholds_carry_increments_to_the_read_path_without_timers()
    {
        await using var host = OneShardFlushingEveryFifthIncrement();
        using var client = await host.StartAsync();

        for (var i = 0; i < 10; i++)
        {
            await client.IncrementAsync("clicks");
        }

        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("clicks") == 10);
        var writes = await client.GetJsonAsync("/global/shardWrites");
        Assert.Equal(2, writes.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_batch_of_an_entity_starts_from_the_state_the_last_one_left(bool extendedSessions)
    {
        // One shard and no timers: each increment is a batch of its own, in one extended session when they are on (the
        // batches after the first then get no state from the backend), and the shard flushes only every fifth.
        await using var host = OneShardFlushingEveryFifthIncrement()
            .WithSetting("Durable:ExtendedSessionsEnabled", extendedSessions ? "true" : "false")
            .WithSetting("Counters:SignalCoalescingWindow", "00:00:00");
        using var client = await host.StartAsync();

        for (var i = 1; i <= 10; i++)
        {
            await client.IncrementAsync("clicks");
            var pending = i % 5;
            await Eventually.ReadAsync(
                () => client.GetJsonAsync("/shard/0/counters"), shard => shard.GetProperty("pendingIncrements").GetInt64() == pending);
        }

        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("clicks") == 10);
        Assert.Equal(2, (await client.GetJsonAsync("/global/shardWrites")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_global_state_too_large_for_a_table_row_as_json_stays_in_its_row_compressed_and_reads_back()
    {
        // 1,000 counters: ~30,000 characters of JSON, past the backend's 60 KB (UTF-16) of input in the instance row.
        await using var host = OneShardFlushingEveryFifthIncrement();
        using var client = await host.StartAsync();
        var counters = Enumerable.Range(0, 1_000).ToDictionary(static i => $"wide-{i}", static _ => 1L);

        await client.PostAcceptedAsync("/increments", JsonContent.Create(counters));
        await Eventually.ReadAsync(client.ReadCountersAsync, static shown => shown.Count == 1_000);
        await client.PostAcceptedAsync("/increments", JsonContent.Create(counters));

        // The second batch's merge started from the stored state: every total is 2.
        var shown = await Eventually.ReadAsync(client.ReadCountersAsync, static shown => shown.Values.All(static value => value == 2));
        Assert.Equal(1_000, shown.Count);
        Assert.Equal(2, (await client.GetJsonAsync("/counters/wide-999?consistency=strong")).GetProperty("value").GetInt64());
        var instance = await new TableClient(azurite.ConnectionString, host.TaskHub + "Instances").GetEntityAsync<TableEntity>("@global@default", "");
        var input = instance.Value.GetString("Input");
        Assert.Contains(CompactGlobalState.Marker, input, StringComparison.Ordinal);
        Assert.DoesNotContain("largemessages", input, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Inspection_routes_a_manual_shard_write_and_a_reset_work()
    {
        await using var host = new DurableHostFactory(azurite)
            .WithSetting("Counters:ShardCount", "2")
            .WithSetting("Counters:GlobalMinWritesToSnapshot", "1")
            .WithSetting("Counters:ShardWriteToGlobalAfter", Never)
            .WithSetting("Counters:GlobalWriteToSnapshotAfter", Never);
        using var client = await host.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            await client.IncrementAsync("likes", "?shard=1");
        }

        var shard = await Eventually.ReadAsync(
            () => client.GetJsonAsync("/shard/1/counters"), static shard => shard.GetProperty("pendingIncrements").GetInt64() == 3);
        Assert.Equal(3, shard.GetProperty("counters").GetProperty("likes").GetInt64());
        var shards = await client.GetJsonAsync("/global/shards");
        Assert.Equal(2, shards.GetProperty("shardCount").GetInt32());
        Assert.Contains(shards.GetProperty("shards").EnumerateArray(), static shard => shard.GetProperty("shard").GetString() == "1");

        await client.PostAcceptedAsync("/shard/1/write");
        var global = await Eventually.ReadAsync(
            () => client.GetJsonAsync("/global/counters"), static global => Http.CountersOf(global).ValueOf("likes") == 3);
        Assert.True(global.GetProperty("snapshotVersion").GetInt64() >= 1);
        var merges = await client.GetJsonAsync("/global/writes");
        var merge = Assert.Single(merges.GetProperty("writes").EnumerateArray());
        Assert.Equal("1", merge.GetProperty("shard").GetString());
        Assert.Equal(3, merge.GetProperty("increments").GetInt64());
        Assert.Equal(1, (await client.GetJsonAsync("/global/shardWrites")).GetProperty("shards").GetProperty("1").GetInt64());
        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("likes") == 3);

        await client.PostAcceptedAsync("/global/reset/likes");
        await Eventually.ReadAsync(
            () => client.GetJsonAsync("/global/counters"), static global => Http.CountersOf(global).ValueOf("likes") == 0);
        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("likes") == 0);
    }

    [Fact]
    public async Task Totals_split_over_global_partitions_reach_the_read_path()
    {
        await using var host = new DurableHostFactory(azurite)
            .WithSetting("Counters:GlobalPartitions", "3")
            .WithSetting("Counters:ShardWriteToGlobalAfter", "00:00:01")
            .WithSetting("Counters:GlobalWriteToSnapshotAfter", "00:00:01");
        using var client = await host.StartAsync();
        var counters = Enumerable.Range(0, 12).ToDictionary(static i => $"c{i}", static i => (long)i + 1);

        await client.PostAcceptedAsync("/increments", JsonContent.Create(counters));
        await client.IncrementAsync("c0");

        var expected = new Dictionary<string, long>(counters) { ["c0"] = 2 };
        await Eventually.ReadAsync(client.ReadCountersAsync, counters => counters.Count == 12 && expected.All(counter => counters.ValueOf(counter.Key) == counter.Value));
        var partitions = (await client.GetJsonAsync("/global/counters")).GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(3, partitions.Count);
        Assert.Equal(12, partitions.Sum(static partition => partition.GetProperty("counters").EnumerateObject().Count()));
    }

    [Fact]
    public async Task Lowering_the_shard_count_while_running_loses_nothing()
    {
        await using var host = new DurableHostFactory(azurite)
            .WithSetting("Counters:ShardCount", "4")
            .WithSetting("Counters:GlobalMinWritesToSnapshot", "1")
            .WithSetting("Counters:ShardWriteToGlobalAfter", "00:00:02")
            .WithSetting("Counters:GlobalWriteToSnapshotAfter", "00:00:01");
        using var client = await host.StartAsync();
        await client.IncrementAsync("views", "?shard=3");
        await client.IncrementAsync("views", "?shard=3");

        host.Reconfigure("Counters:ShardCount", "2");

        using var outOfRange = await client.PostAsync(new Uri("/increment/views?shard=3", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            await client.IncrementAsync("views");
        }

        // Shard 3 is beyond the count now, and still hands its buffer on when its timer fires.
        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("views") == 7);
        var shards = await client.GetJsonAsync("/global/shards");
        Assert.Equal(2, shards.GetProperty("shardCount").GetInt32());
        Assert.Contains(shards.GetProperty("shards").EnumerateArray(), static shard => shard.GetProperty("shard").GetString() == "3");
    }

    /// <summary>One shard that hands its buffer over at every fifth increment, each merge snapshotted at once, and no timers.</summary>
    private DurableHostFactory OneShardFlushingEveryFifthIncrement() => new DurableHostFactory(azurite)
        .WithSetting("Counters:ShardCount", "1")
        .WithSetting("Counters:ShardMinIncrementsToGlobal", "5")
        .WithSetting("Counters:GlobalMinWritesToSnapshot", "1")
        .WithSetting("Counters:ShardWriteToGlobalAfter", Never)
        .WithSetting("Counters:GlobalWriteToSnapshotAfter", Never);
}
