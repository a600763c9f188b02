using System.Net;
using Counter.Testing;

namespace Counter.Server.Tests;

/// <summary>
/// The real server process takes its options from the command line, through the binding code generated at build time
/// (the native executable has no reflection to fall back on), and refuses to start on an invalid one.
/// </summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly TempDirectory data = new();

    [Fact]
    public async Task Options_from_the_command_line_reach_the_process()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var server = await ServerProcess.StartAsync(data.Path, ["--Counters:ShardCount=3"], timeout.Token);
        using var client = server.CreateClient();

        using var onLastShard = await client.PostAsync("/increment/likes?shard=2", null, timeout.Token);
        using var pastLastShard = await client.PostAsync("/increment/likes?shard=3", null, timeout.Token);

        Assert.Equal(HttpStatusCode.Accepted, onLastShard.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pastLastShard.StatusCode);
        Assert.True(File.Exists(Path.Combine(data.Path, "entities.db")), "Storage:DataPath did not reach the process.");
    }

    [Fact]
    public async Task An_invalid_option_stops_the_process_with_a_message_naming_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var server = ServerProcess.Launch(data.Path, ["--Counters:ShardCount=0"]);

        var exitCode = await server.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Counters:ShardCount must be between 1 and 1024; it was 0.", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_global_partitions_of_counted_totals_stops_the_process_saying_what_to_do()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using (var counting = await ServerProcess.StartAsync(data.Path, ["--Counters:ShardMinIncrementsToGlobal=1"], timeout.Token))
        {
            using var client = counting.CreateClient();
            using var accepted = await client.PostAsync("/increment/likes", null, timeout.Token);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            // Until the global entity holds a total, there is nothing kept that a new partition count would misplace.
            while (!(await client.GetStringAsync("/global/counters", timeout.Token)).Contains("\"likes\"", StringComparison.Ordinal))
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        using var repartitioned = ServerProcess.Launch(data.Path, ["--Counters:GlobalPartitions=16"]);

        Assert.NotEqual(0, await repartitioned.WaitForExitAsync(timeout.Token));
        Assert.Contains("Counters:GlobalPartitions is 16, but the totals in this storage were kept with 1", repartitioned.Output, StringComparison.Ordinal);
    }

    public void Dispose() => data.Dispose();
}
