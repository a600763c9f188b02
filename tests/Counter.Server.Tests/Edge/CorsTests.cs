using System.Net;
using System.Net.Http.Json;
using Counter.Testing;
using Counter.Testing.Tenants;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// CORS over HTTP: a tenant's public routes answer browsers from the origins the tenant set, the seed routes from
/// <c>Cors:DefaultTenantOrigins</c>; preflights are answered and cacheable; administration never answers CORS.
/// </summary>
public sealed class CorsTests
{
    private const string Site = "https://blog.example";
    private const string Elsewhere = "https://evil.example";

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_with_the_CORS_headers_and_a_max_age()
    {
        await using var server = new CounterServerFactory();
        using var client = server.CreateClient();
        var tenant = await TenantWithOriginsAsync(server, Site);

        using var response = await client.SendAsync(Preflight($"/tenants/{tenant}/likes/inc", Site, "POST"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Site, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Equal("3600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal(0, await TenantApi.ValueAsync(client, tenant, "likes"));
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_CORS_headers_and_runs_nothing()
    {
        await using var server = new CounterServerFactory();
        using var client = server.CreateClient();
        var tenant = await TenantWithOriginsAsync(server, Site);

        using var response = await client.SendAsync(Preflight($"/tenants/{tenant}/likes/inc", Elsewhere, "POST"));

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
        await server.SettleAsync();
        Assert.Equal(0, await TenantApi.ValueAsync(client, tenant, "likes"));
    }

    [Fact]
    public async Task An_administration_route_never_answers_CORS()
    {
        await using var server = new CounterServerFactory().WithSetting("Cors:DefaultTenantOrigins:0", Site);
        using var client = server.CreateClient();
        var tenant = await TenantWithOriginsAsync(server, Site);

        foreach (var (path, method) in ((string, string)[])[($"/tenants/{tenant}", "POST"), ("/tenants", "GET"), ("/global/shards", "GET"), ($"/tenants/{tenant}/settings/cors", "PUT")])
        {
            using var preflight = await client.SendAsync(Preflight(path, Site, method));
            Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path == "/tenants" ? path : "/global/shards", UriKind.Relative));
            request.Headers.Add("Origin", Site);
            using var answer = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Null(Header(answer, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task A_star_lets_any_origin_read_but_not_increment()
    {
        await using var server = new CounterServerFactory();
        using var client = server.CreateClient();
        var tenant = await TenantWithOriginsAsync(server, "*");

        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri($"/tenants/{tenant}/likes", UriKind.Relative));
        read.Headers.Add("Origin", Elsewhere);
        using var readAnswer = await client.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, readAnswer.StatusCode);
        Assert.Equal("*", Header(readAnswer, "Access-Control-Allow-Origin"));

        using var preflight = await client.SendAsync(Preflight($"/tenants/{tenant}/likes/inc", Elsewhere, "POST"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_seed_routes_answer_the_default_tenant_origins_and_an_actual_increment_carries_the_header()
    {
        await using var server = new CounterServerFactory().WithSetting("Cors:DefaultTenantOrigins:0", Site);
        using var client = server.CreateClient();

        using var preflight = await client.SendAsync(Preflight("/increments", Site, "POST", "content-type"));
        Assert.Equal(Site, Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("content-type", Header(preflight, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);

        using var increment = new HttpRequestMessage(HttpMethod.Post, new Uri("/increment/likes", UriKind.Relative));
        increment.Headers.Add("Origin", Site);
        using var answer = await client.SendAsync(increment);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(Site, Header(answer, "Access-Control-Allow-Origin"));

        using var elsewhere = await client.SendAsync(Preflight("/increment/likes", Elsewhere, "POST"));
        Assert.Null(Header(elsewhere, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_tenant_key_sets_and_reads_its_origins_and_bad_origins_are_refused()
    {
        await using var server = new CounterServerFactory();
        var tenant = TenantApi.UniqueTenant("cors");
        var (key, _) = await TenantApi.CreateTenantAsync(server.CreateClient, tenant);
        using var asTenant = server.CreateClient().Sending(key);

        await TenantApi.Expect(await asTenant.PutAsJsonAsync($"/tenants/{tenant}/settings/cors", new { origins = new[] { Site, "*" } }), HttpStatusCode.OK);
        var read = await TenantApi.Expect(await asTenant.GetAsync(new Uri($"/tenants/{tenant}/settings/cors", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal([Site, "*"], read.GetProperty("origins").EnumerateArray().Select(static origin => origin.GetString()));

        var refused = await TenantApi.Expect(await asTenant.PutAsJsonAsync($"/tenants/{tenant}/settings/cors", new { origins = new[] { "https://blog.example/path" } }), HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("origins", out _));
        using var anonymous = server.CreateClient().Sending(null);
        await TenantApi.Expect(await anonymous.PutAsJsonAsync($"/tenants/{tenant}/settings/cors", new { origins = Array.Empty<string>() }), HttpStatusCode.Unauthorized);
        await TenantApi.Expect(await server.CreateClient().PutAsJsonAsync("/tenants/nobody/settings/cors", new { origins = Array.Empty<string>() }), HttpStatusCode.NotFound);
    }

    /// <summary>A tenant with the counter <c>likes</c> at 0 whose allowed origins are <paramref name="origins"/>, set with its own key.</summary>
    private static async Task<string> TenantWithOriginsAsync(CounterServerFactory server, params string[] origins)
    {
        var tenant = TenantApi.UniqueTenant("cors");
        var (key, _) = await TenantApi.CreateTenantAsync(server.CreateClient, tenant);
        using var asTenant = server.CreateClient().Sending(key);
        await TenantApi.CreateCounterAsync(asTenant, tenant, "likes");
        await TenantApi.Expect(await asTenant.PutAsJsonAsync($"/tenants/{tenant}/settings/cors", new { origins }), HttpStatusCode.OK);
        return tenant;
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method, string? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
