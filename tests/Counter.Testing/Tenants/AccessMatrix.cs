using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Counter.Testing.Tenants;

/// <summary>
/// Every route of the contract × every kind of caller (no key, a wrong key, another tenant's key, the tenant's key, an
/// operator key): refused cells answer 401 or 403 with problem details, allowed cells do what the route does. Routes
/// that destroy what they name get something of their own to destroy for every cell.
/// </summary>
public static class AccessMatrix
{
    private static readonly string[] Callers = ["none", "wrong", "other tenant", "tenant", "operator"];

    /// <summary>Runs the matrix against a host; <paramref name="newClient"/> makes a client that sends the operator key.</summary>
    public static async Task RunAsync(Func<HttpClient> newClient)
    {
        ArgumentNullException.ThrowIfNull(newClient);
        var tenant = TenantApi.UniqueTenant("matrix");
        var other = TenantApi.UniqueTenant("other");
        var (tenantKey, _) = await TenantApi.CreateTenantAsync(newClient, tenant);
        var (otherKey, _) = await TenantApi.CreateTenantAsync(newClient, other);
        using (var setup = newClient())
        {
            await TenantApi.CreateCounterAsync(setup, tenant, "c");
        }

        var keys = new Dictionary<string, string?>
        {
            ["none"] = null,
            ["wrong"] = "not-a-key-of-this-service",
            ["other tenant"] = otherKey,
            ["tenant"] = tenantKey,
            ["operator"] = TestKeys.Operator,
        };
        var failures = new List<string>();
        foreach (var route in Routes(tenant))
        {
            foreach (var caller in Callers)
            {
                using var request = await route.MakeAsync(newClient);
                using var client = newClient().Sending(keys[caller]);
                using var response = await client.SendAsync(request);
                var expected = route.Allowed.Contains(caller) ? route.Success : caller is "none" or "wrong" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != expected)
                {
                    failures.Add($"{route.Name} with {caller}: {(int)response.StatusCode}, expected {(int)expected}: {body}");
                }
                else if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && !IsProblem(response, body))
                {
                    failures.Add($"{route.Name} with {caller}: {(int)expected} without problem details: {body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static bool IsProblem(HttpResponseMessage response, string body) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
        && JsonDocument.Parse(body).RootElement.TryGetProperty("status", out _);

    private static IEnumerable<Route> Routes(string tenant)
    {
        string[] anyone = ["none", "wrong", "other tenant", "tenant", "operator"];
        string[] tenantOrOperator = ["tenant", "operator"];
        string[] operatorOnly = ["operator"];
        var count = 0;
        string Fresh(string prefix) => $"{prefix}{Interlocked.Increment(ref count)}";

        yield return new("POST /tenants", operatorOnly, HttpStatusCode.Created, _ => Post("/tenants", new { tenant = TenantApi.UniqueTenant("made") }));
        yield return new("GET /tenants", operatorOnly, HttpStatusCode.OK, _ => Get("/tenants"));
        yield return new("DELETE /tenants/{tenant}", operatorOnly, HttpStatusCode.NoContent, async client =>
        {
            // A tenant of its own to delete, for every cell; deleting a tenant is an operator's call only.
            var doomed = TenantApi.UniqueTenant("doomed");
            await TenantApi.CreateTenantAsync(client, doomed);
            return new HttpRequestMessage(HttpMethod.Delete, $"/tenants/{doomed}");
        });
        yield return new("POST /tenants/{tenant}", tenantOrOperator, HttpStatusCode.Created, _ => Post($"/tenants/{tenant}", new { counter = Fresh("made"), initialValue = 3 }));
        yield return new("GET /tenants/{tenant}", tenantOrOperator, HttpStatusCode.OK, _ => Get($"/tenants/{tenant}"));
        yield return new("GET /tenants/{tenant}/{counter}", anyone, HttpStatusCode.OK, _ => Get($"/tenants/{tenant}/c"));
        yield return new("POST /tenants/{tenant}/{counter}/inc", anyone, HttpStatusCode.Accepted, _ => Send(HttpMethod.Post, $"/tenants/{tenant}/c/inc?delta=2"));
        yield return new("DELETE /tenants/{tenant}/{counter}", tenantOrOperator, HttpStatusCode.NoContent, async client =>
        {
            var doomed = Fresh("doomed");
            using var setup = client();
            await TenantApi.CreateCounterAsync(setup, tenant, doomed);
            return new HttpRequestMessage(HttpMethod.Delete, $"/tenants/{tenant}/{doomed}");
        });
        yield return new("POST /tenants/{tenant}/keys", tenantOrOperator, HttpStatusCode.Created, _ => Send(HttpMethod.Post, $"/tenants/{tenant}/keys"));
        yield return new("DELETE /tenants/{tenant}/keys/{keyId}", tenantOrOperator, HttpStatusCode.NoContent, async client =>
        {
            var (_, keyId) = await TenantApi.IssueKeyAsync(client, tenant);
            return new HttpRequestMessage(HttpMethod.Delete, $"/tenants/{tenant}/keys/{keyId}");
        });
        yield return new("POST /increment/{counter}", anyone, HttpStatusCode.Accepted, _ => Send(HttpMethod.Post, "/increment/matrix"));
        yield return new("POST /increments", anyone, HttpStatusCode.Accepted, _ => Post("/increments", new Dictionary<string, long> { ["matrix"] = 1 }));
        yield return new("GET /counters", anyone, HttpStatusCode.OK, _ => Get("/counters"));
        yield return new("GET /global/counters", operatorOnly, HttpStatusCode.OK, _ => Get("/global/counters"));
        yield return new("GET /global/writes", operatorOnly, HttpStatusCode.OK, _ => Get("/global/writes"));
        yield return new("GET /global/shardWrites", operatorOnly, HttpStatusCode.OK, _ => Get("/global/shardWrites"));
        yield return new("GET /global/shards", operatorOnly, HttpStatusCode.OK, _ => Get("/global/shards"));
        yield return new("POST /global/reset/{counter}", operatorOnly, HttpStatusCode.Accepted, _ => Send(HttpMethod.Post, "/global/reset/matrix"));
        yield return new("GET /shard/{n}/counters", operatorOnly, HttpStatusCode.OK, _ => Get("/shard/0/counters"));
        yield return new("POST /shard/{n}/write", operatorOnly, HttpStatusCode.Accepted, _ => Send(HttpMethod.Post, "/shard/0/write"));
    }

    private static Task<HttpRequestMessage> Get(string path) => Send(HttpMethod.Get, path);

    private static Task<HttpRequestMessage> Send(HttpMethod method, string path) => Task.FromResult(new HttpRequestMessage(method, path));

    private static Task<HttpRequestMessage> Post<T>(string path, T body) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) });

    private sealed record Route(string Name, string[] Allowed, HttpStatusCode Success, Func<Func<HttpClient>, Task<HttpRequestMessage>> MakeAsync);
}
