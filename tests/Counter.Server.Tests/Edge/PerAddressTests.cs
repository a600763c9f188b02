using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Counter.Testing.Tenants;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// The token bucket per client address, on Kestrel with clients from different loopback addresses: a burst past the
/// bucket is refused with 429 for that address only, and <c>X-Forwarded-For</c> names the address only when a
/// configured proxy sends it.
/// </summary>
public sealed class PerAddressTests
{
    private const int Burst = 3;

    [Fact]
    public async Task A_burst_from_one_address_past_its_bucket_gets_429_while_another_address_is_served()
    {
        await using var server = Started(new CounterServerFactory());
        var tenant = await CounterOfTenantAsync(server);
        using var first = LoopbackClients.From(server, "127.0.0.1", key: null);
        using var second = LoopbackClients.From(server, "127.0.0.2", key: null);

        for (var i = 0; i < Burst; i++)
        {
            await ExpectAsync(first, tenant, HttpStatusCode.Accepted);
        }

        await ExpectRateLimitedAsync(first, tenant);
        await ExpectAsync(second, tenant, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task The_seed_routes_are_not_limited_per_address_by_default()
    {
        await using var server = Started(new CounterServerFactory());
        using var client = LoopbackClients.From(server, "127.0.0.1", key: null);
        for (var i = 0; i < Burst * 3; i++)
        {
            using var response = await client.PostAsync(new Uri("/increment/seed", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_address_is_the_one_limited()
    {
        await using var server = Started(new CounterServerFactory().WithSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.2"));
        var tenant = await CounterOfTenantAsync(server);
        using var proxy = LoopbackClients.From(server, "127.0.0.2", key: null);

        for (var i = 0; i < Burst; i++)
        {
            await ExpectAsync(proxy, tenant, HttpStatusCode.Accepted, forwardedFor: "203.0.113.7");
        }

        await ExpectRateLimitedAsync(proxy, tenant, forwardedFor: "203.0.113.7");
        await ExpectAsync(proxy, tenant, HttpStatusCode.Accepted, forwardedFor: "203.0.113.8");
        await ExpectAsync(proxy, tenant, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task From_an_untrusted_sender_the_forwarded_address_is_ignored()
    {
        await using var server = Started(new CounterServerFactory().WithSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.2"));
        var tenant = await CounterOfTenantAsync(server);
        using var untrusted = LoopbackClients.From(server, "127.0.0.1", key: null);

        for (var i = 0; i < Burst; i++)
        {
            await ExpectAsync(untrusted, tenant, HttpStatusCode.Accepted, forwardedFor: $"203.0.113.{10 + i}");
        }

        await ExpectRateLimitedAsync(untrusted, tenant, forwardedFor: "203.0.113.99");
    }

    private static CounterServerFactory Started(CounterServerFactory server)
    {
        server.WithSetting("RateLimits:PerAddress:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("RateLimits:PerAddress:TokensPerPeriod", "1")
            .WithSetting("RateLimits:PerAddress:Period", "00:10:00")
            .UseKestrel(0);
        server.StartServer();
        return server;
    }

    /// <summary>A tenant with the counter <c>likes</c>, made by the operator (administration is not limited per address).</summary>
    private static async Task<string> CounterOfTenantAsync(CounterServerFactory server)
    {
        var tenant = TenantApi.UniqueTenant("edge");
        var (key, _) = await TenantApi.CreateTenantAsync(() => LoopbackClients.From(server, "127.0.0.1"), tenant);
        using var asTenant = LoopbackClients.From(server, "127.0.0.1", key);
        await TenantApi.CreateCounterAsync(asTenant, tenant, "likes", initialValue: 0);
        return tenant;
    }

    private static async Task ExpectAsync(HttpClient client, string tenant, HttpStatusCode status, string? forwardedFor = null)
    {
        using var response = await client.SendAsync(Increment(tenant, forwardedFor));
        Assert.Equal(status, response.StatusCode);
    }

    private static async Task ExpectRateLimitedAsync(HttpClient client, string tenant, string? forwardedFor = null)
    {
        using var response = await client.SendAsync(Increment(tenant, forwardedFor));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
    }

    private static HttpRequestMessage Increment(string tenant, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/tenants/{tenant}/likes/inc", UriKind.Relative));
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return request;
    }
}
