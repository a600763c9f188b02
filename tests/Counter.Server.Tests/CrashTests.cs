using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Counter.Testing;

namespace Counter.Server.Tests;

/// <summary>The real server process, killed with SIGKILL right after a 202, then restarted on the same data folder.</summary>
public sealed class CrashTests : IDisposable
{
    // Every increment is handed to the global entity at once, so its totals show everything processed.
    private static readonly string[] Settings = ["--Counters:ShardMinIncrementsToGlobal=1", "--Counters:ShardCount=4"];
    private readonly TempDirectory data = new();

    [Fact]
    public async Task Every_accepted_increment_survives_a_kill()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var accepted = 0;
        using (var server = await ServerProcess.StartAsync(data.Path, Settings, timeout.Token))
        {
            using var client = server.CreateClient();
            while (accepted < 300)
            {
                using var response = await client.PostAsync("/increment/visits", null, timeout.Token);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                accepted++;
            }

            server.Kill();
        }

        using var restarted = await ServerProcess.StartAsync(data.Path, Settings, timeout.Token);
        using var reader = restarted.CreateClient();
        long total;
        do
        {
            await Task.Delay(50, timeout.Token);
            var global = await reader.GetFromJsonAsync<JsonElement>("/global/counters", timeout.Token);
            total = global.GetProperty("counters").TryGetProperty("visits", out var visits) ? visits.GetInt64() : 0;
        }
        while (total < accepted);

        Assert.Equal(accepted, total);
    }

    public void Dispose() => data.Dispose();
}
