using System.Net;
using System.Net.Sockets;
using Counter.Testing;
using Counter.Testing.Azurite;

namespace Counter.DurableHost.Tests;

/// <summary>
/// Host processes on one task hub: killed with SIGKILL under load, two at once, their read path cut off, and stopped
/// while their storage is down.
/// </summary>
public sealed class ResilienceTests(AzuriteAccountFixture azurite) : IClassFixture<AzuriteAccountFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Every_increment_answered_202_is_counted_once_after_a_kill_under_a_coalesced_load()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        // The restarted process has the same worker name, as a restarted VM or pod would, and takes what the killed one
        // had dequeued again once the messages' visibility timeout passes.
        var settings = Settings(DurableHostFactory.UniqueName("hub"), DurableHostFactory.UniqueName("counters"),
            "--Durable:WorkerId=crashing", "--Durable:ControlQueueVisibilityTimeout=00:00:10");
        long accepted = 0, unanswered = 0;
        using (var host = await HostProcess.StartAsync(HostProgram.DurableHost, settings, timeout.Token))
        {
            using var client = host.CreateClient();
            using var load = new CancellationTokenSource();
            // Enough concurrent senders that coalescing (on by default) gathers several requests into most signals.
            var senders = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                while (!load.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await client.PostAsync(new Uri("/increment/visits", UriKind.Relative), null, timeout.Token);
                        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                        Interlocked.Increment(ref accepted);
                    }
                    catch (Exception exception) when (exception is HttpRequestException or SocketException)
                    {
                        // In flight when the process died (a connection it accepted but never served can fail with a bare SocketException): it may or may not have been enqueued. This sender stops here.
                        Interlocked.Increment(ref unanswered);
                        return;
                    }
                }
            })).ToList();
            await Task.Delay(TimeSpan.FromSeconds(4), timeout.Token);
            host.Kill();
            await load.CancelAsync();
            await Task.WhenAll(senders);
        }

        Assert.True(accepted > 50, $"Only {accepted} increments were accepted before the kill.");
        using var restarted = await HostProcess.StartAsync(HostProgram.DurableHost, settings, timeout.Token);
        using var reader = restarted.CreateClient();
        var counted = await SettledValueAsync(reader, "visits", atLeast: accepted);
        Assert.InRange(counted, accepted, accepted + unanswered);
        var redelivered = (await reader.GetJsonAsync("/global/shards")).GetProperty("shards").EnumerateArray()
            .Sum(static shard => shard.GetProperty("duplicateAddsIgnored").GetInt64());
        Console.WriteLine($"accepted {accepted}, unanswered {unanswered}, counted {counted}, redelivered adds ignored {redelivered}");
    }

    [Fact]
    public async Task Two_processes_on_one_task_hub_count_everything_sent_to_either()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var (hub, table) = (DurableHostFactory.UniqueName("hub"), DurableHostFactory.UniqueName("counters"));
        using var first = await HostProcess.StartAsync(HostProgram.DurableHost, Settings(hub, table, "--Durable:WorkerId=first"), timeout.Token);
        using var second = await HostProcess.StartAsync(HostProgram.DurableHost, Settings(hub, table, "--Durable:WorkerId=second"), timeout.Token);
        using var toFirst = first.CreateClient();
        using var toSecond = second.CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? toFirst : toSecond).IncrementAsync("likes")));

        foreach (var client in (HttpClient[])[toFirst, toSecond])
        {
            await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("likes") == 100);
        }
    }

    [Fact]
    public async Task The_read_path_catches_up_after_table_storage_was_unreachable()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var tables = new AzuriteFixture();
        var settings = Settings(DurableHostFactory.UniqueName("hub"), DurableHostFactory.UniqueName("counters"),
            $"--Storage:TablesConnection={tables.ConnectionString}");
        using var host = await HostProcess.StartAsync(HostProgram.DurableHost, settings, timeout.Token);
        using var client = host.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            await client.IncrementAsync("views");
        }

        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("views") == 10);

        tables.Stop();
        for (var i = 0; i < 20; i++)
        {
            await client.IncrementAsync("views");
        }

        using (var unreadable = await client.GetAsync(new Uri("/counters", UriKind.Relative), timeout.Token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unreadable.StatusCode);
            Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(unreadable.Headers.RetryAfter);
        }

        Assert.Equal("Degraded", await client.GetStringAsync(new Uri("/healthz", UriKind.Relative), timeout.Token));
        // The totals keep growing meanwhile; the snapshots that failed are written again later.
        await Eventually.ReadAsync(
            () => client.GetJsonAsync("/global/counters"), static global => Http.CountersOf(global).ValueOf("views") == 30);

        tables.Start();
        await Eventually.ReadAsync(client.ReadCountersAsync, static counters => counters.ValueOf("views") == 30, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_process_stopped_while_its_storage_is_unreachable_exits_after_the_shutdown_timeout()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var storage = new AzuriteAccountFixture();
        using var host = await HostProcess.StartAsync(HostProgram.DurableHost,
        [
            $"--Durable:StorageConnection={storage.ConnectionString}",
            $"--Durable:TaskHub={DurableHostFactory.UniqueName("hub")}",
            $"--Storage:TableName={DurableHostFactory.UniqueName("counters")}",
            "--shutdownTimeoutSeconds=2",
        ], timeout.Token);
        using var client = host.CreateClient();
        await client.IncrementAsync("likes");

        storage.Stop();
        host.Terminate();

        // The backend's graceful stop alone would retry against the stopped storage for as long as the process lived.
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        exited.CancelAfter(TimeSpan.FromSeconds(60));
        await host.WaitForExitAsync(exited.Token);
        Assert.Contains("did not stop within the shutdown timeout", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_global_partitions_of_counted_totals_stops_the_process_saying_what_to_do()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var settings = Settings(DurableHostFactory.UniqueName("hub"), DurableHostFactory.UniqueName("counters"), "--Counters:ShardMinIncrementsToGlobal=1");
        using (var counting = await HostProcess.StartAsync(HostProgram.DurableHost, settings, timeout.Token))
        {
            using var client = counting.CreateClient();
            await client.IncrementAsync("likes");
            await Eventually.ReadAsync(() => client.GetJsonAsync("/global/counters"), static global => Http.CountersOf(global).ValueOf("likes") == 1);
        }

        using var repartitioned = HostProcess.Launch(HostProgram.DurableHost, [.. settings, "--Counters:GlobalPartitions=4"]);

        Assert.NotEqual(0, await repartitioned.WaitForExitAsync(timeout.Token));
        Assert.Contains("Counters:GlobalPartitions is 4, but the totals in this storage were kept with 1", repartitioned.Output, StringComparison.Ordinal);
    }

    private string[] Settings(string hub, string table, params string[] more) =>
    [
        $"--Durable:StorageConnection={azurite.ConnectionString}",
        $"--Durable:TaskHub={hub}",
        $"--Storage:TableName={table}",
        "--Counters:ShardWriteToGlobalAfter=00:00:01",
        "--Counters:GlobalWriteToSnapshotAfter=00:00:01",
        .. more,
    ];

    /// <summary>
    /// The counter's value once everything is processed: no shard holds increments, and the read path shows the global
    /// total, which is at least <paramref name="atLeast"/>.
    /// </summary>
    private static async Task<long> SettledValueAsync(HttpClient client, string counter, long atLeast)
    {
        var settled = await Eventually.ReadAsync(
            async () =>
            {
                var shards = await client.GetJsonAsync("/global/shards");
                var pending = shards.GetProperty("shards").EnumerateArray().Sum(static shard => shard.GetProperty("pendingIncrements").GetInt64());
                var global = Http.CountersOf(await client.GetJsonAsync("/global/counters")).ValueOf(counter);
                var read = (await client.ReadCountersAsync()).ValueOf(counter);
                return (pending, global, read);
            },
            state => state.pending == 0 && state.global >= atLeast && state.read == state.global,
            TimeSpan.FromSeconds(120),
            $"'{counter}' settling at {atLeast} or more");
        return settled.read;
    }
}
