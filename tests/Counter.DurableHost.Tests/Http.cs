using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Counter.DurableHost.Tests;

/// <summary>The HTTP contract's calls the tests make, each asserting the status the contract promises.</summary>
internal static class Http
{
    public static async Task IncrementAsync(this HttpClient client, string counter, string query = "")
    {
        using var response = await client.PostAsync(new Uri($"/increment/{counter}{query}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public static async Task PostAcceptedAsync(this HttpClient client, string path, HttpContent? body = null)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path) =>
        await client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));

    /// <summary>The read path's value of every counter of the default tenant (<c>GET /counters</c>, one page).</summary>
    public static async Task<Dictionary<string, long>> ReadCountersAsync(this HttpClient client) =>
        CountersOf(await client.GetJsonAsync("/counters?pageSize=1000"));

    public static Dictionary<string, long> CountersOf(JsonElement body) =>
        body.GetProperty("counters").EnumerateObject().ToDictionary(static counter => counter.Name, static counter => counter.Value.GetInt64());

    public static long ValueOf(this Dictionary<string, long> counters, string counter) => counters.GetValueOrDefault(counter);
}
