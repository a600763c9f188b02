using System.Net;
using System.Text.Json;
using Counter.Testing;
using Counter.Testing.Tenants;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// The request log of the real server process with <c>Logging:Console:FormatterName=json</c>: one JSON line per
/// request with the documented fields, and never a key.
/// </summary>
public sealed class RequestLogTests : IDisposable
{
    private readonly TempDirectory data = new();

    [Fact]
    public async Task Each_request_is_one_JSON_line_with_route_tenant_status_duration_and_client_address_and_no_key()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var server = await ServerProcess.StartAsync(data.Path, ["--Logging:Console:FormatterName=json"], timeout.Token);
        var tenant = TenantApi.UniqueTenant("logged");
        var (key, _) = await TenantApi.CreateTenantAsync(server.CreateClient, tenant);
        using (var asTenant = server.CreateClient().Sending(key))
        {
            await TenantApi.CreateCounterAsync(asTenant, tenant, "likes");
        }

        using (var anonymous = server.CreateClient().Sending(null))
        {
            await TenantApi.IncrementAsync(anonymous, tenant, "likes");
        }

        using (var wrongKey = server.CreateClient().Sending("not-a-key-of-anyone-0123456789"))
        {
            await TenantApi.Expect(await wrongKey.GetAsync(new Uri("/tenants", UriKind.Relative)), HttpStatusCode.Unauthorized);
        }

        var lines = await RequestLinesAsync(server, expected: 5, timeout.Token);
        var increment = lines.Single(line => State(line).GetProperty("Route").GetString() == "/tenants/{tenant}/{counter}/inc");
        var state = State(increment);
        Assert.Equal("Information", increment.GetProperty("LogLevel").GetString());
        Assert.Equal(tenant, state.GetProperty("Tenant").GetString());
        Assert.Equal("PublicIncrements", state.GetProperty("Group").GetString());
        Assert.Equal(202, int.Parse(state.GetProperty("StatusCode").ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(state.TryGetProperty("Duration", out _));
        Assert.Equal("127.0.0.1", state.GetProperty("ClientAddress").GetString());
        Assert.Contains(lines, line => State(line).GetProperty("Route").GetString() == "/tenants" && State(line).GetProperty("StatusCode").ToString() == "401");

        foreach (var secret in (string[])[key, TestKeys.Operator, "not-a-key-of-anyone-0123456789"])
        {
            Assert.DoesNotContain(secret[..8], server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.Hash(secret)[..16], server.Output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => data.Dispose();

    private static JsonElement State(JsonElement line) => line.GetProperty("State");

    /// <summary>The request log's lines, parsed, once at least <paramref name="expected"/> are written.</summary>
    private static async Task<List<JsonElement>> RequestLinesAsync(HostProcess server, int expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lines = server.Output.Split('\n')
                .Where(static line => line.StartsWith('{'))
                .Select(static line => JsonDocument.Parse(line).RootElement.Clone())
                .Where(static line => line.GetProperty("Category").GetString() == "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"
                    && line.GetProperty("State").TryGetProperty("Route", out _))
                .ToList();
            if (lines.Count >= expected)
            {
                return lines;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
