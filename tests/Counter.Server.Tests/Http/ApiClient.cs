using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Counter.Server.Tests.Http;

/// <summary>The calls the contract tests make, each asserting the status the contract promises.</summary>
internal static class ApiClient
{
    public static async Task IncrementAsync(this HttpClient client, string counter, string query = "")
    {
        using var response = await client.PostAsync($"/increment/{Uri.EscapeDataString(counter)}{query}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The totals of <c>GET /counters</c>, the read path.</summary>
    public static async Task<Dictionary<string, long>> ReadCountersAsync(this HttpClient client)
    {
        var page = await client.GetJsonAsync("/counters");
        return page.GetProperty("counters").EnumerateObject().ToDictionary(counter => counter.Name, counter => counter.Value.GetInt64());
    }
}
