using System.Net.Http.Json;
using System.Text.Json;
using Counter.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Counter.Server.Tests.Tables;

/// <summary>The real server over real HTTP, its snapshots in an Azurite table of its own, its entities in a temp folder.</summary>
internal sealed class TablesServer : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory data = new();
    private readonly WebApplicationFactory<Program> factory;

    public TablesServer(string tablesConnection, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = data.Path,
            ["Storage:Snapshots"] = "Tables",
            ["Storage:TablesConnection"] = tablesConnection,
            ["Storage:TableName"] = "e2e" + Guid.NewGuid().ToString("N"),
            ["Counters:ShardWriteToGlobalAfter"] = "00:00:00.200",
            ["Counters:GlobalWriteToSnapshotAfter"] = "00:00:00.200",
            ["Runtime:RetryMinDelay"] = "00:00:00.100",
            ["Runtime:RetryMaxDelay"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in all)
            {
                host.UseSetting(key, value);
            }
        });
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    public async Task IncrementAsync(string counter, long by)
    {
        using var response = await Client.PostAsync(new Uri($"/increment/{Uri.EscapeDataString(counter)}?by={by}", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    public async Task<Dictionary<string, long>> CountersAsync()
    {
        var body = await Client.GetFromJsonAsync<JsonElement>(new Uri("/counters", UriKind.Relative));
        return body.GetProperty("counters").EnumerateObject().ToDictionary(counter => counter.Name, counter => counter.Value.GetInt64());
    }

    public async Task<string> HealthAsync()
    {
        using var response = await Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Polls until <paramref name="condition"/> holds; the read path is eventually consistent by design.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {Patience}: {what}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        factory.Dispose();
        data.Dispose();
    }
}
