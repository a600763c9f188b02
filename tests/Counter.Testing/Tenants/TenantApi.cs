using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Counter.Testing.Tenants;

/// <summary>The tenant routes as a test calls them, each asserting the status it expects.</summary>
public static class TenantApi
{
    public static string UniqueTenant(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];

    /// <summary>Creates a tenant with the operator key; its first key and key id.</summary>
    public static async Task<(string Key, string KeyId)> CreateTenantAsync(Func<HttpClient> operatorClient, string tenant)
    {
        ArgumentNullException.ThrowIfNull(operatorClient);
        using var client = operatorClient();
        using var response = await client.PostAsJsonAsync("/tenants", new { tenant });
        var body = await Expect(response, HttpStatusCode.Created);
        return (body.GetProperty("key").GetString()!, body.GetProperty("keyId").GetString()!);
    }

    public static async Task<(string Key, string KeyId)> IssueKeyAsync(Func<HttpClient> operatorClient, string tenant)
    {
        ArgumentNullException.ThrowIfNull(operatorClient);
        using var client = operatorClient();
        using var response = await client.PostAsync(new Uri($"/tenants/{tenant}/keys", UriKind.Relative), null);
        var body = await Expect(response, HttpStatusCode.Created);
        return (body.GetProperty("key").GetString()!, body.GetProperty("keyId").GetString()!);
    }

    public static async Task CreateCounterAsync(HttpClient client, string tenant, string counter, long initialValue = 0)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsJsonAsync($"/tenants/{tenant}", new { counter, initialValue });
        await Expect(response, HttpStatusCode.Created);
    }

    public static async Task IncrementAsync(HttpClient client, string tenant, string counter, long delta = 1)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsync(new Uri($"/tenants/{tenant}/{counter}/inc?delta={delta}", UriKind.Relative), null);
        await Expect(response, HttpStatusCode.Accepted);
    }

    /// <summary>The counter's value at <c>GET /tenants/{tenant}/{counter}</c>, or null on 404.</summary>
    public static async Task<long?> ValueAsync(HttpClient client, string tenant, string counter)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri($"/tenants/{tenant}/{counter}", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return (await Expect(response, HttpStatusCode.OK)).GetProperty("value").GetInt64();
    }

    public static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
