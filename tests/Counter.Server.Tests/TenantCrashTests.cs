using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Counter.Testing;
using Counter.Testing.Tenants;

namespace Counter.Server.Tests;

/// <summary>Tenants, counters and keys in the real server process: they survive SIGKILL, and no key or hash reaches its logs.</summary>
public sealed class TenantCrashTests : IDisposable
{
    // Every log category at its most talkative, so that the scan sees everything the host could ever write.
    private static readonly string[] Settings = ["--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace", "--Counters:ShardMinIncrementsToGlobal=1"];
    private readonly TempDirectory data = new();

    [Fact]
    public async Task Tenants_counters_and_keys_survive_a_kill_and_no_key_or_hash_is_ever_logged()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tenant = TenantApi.UniqueTenant("durable");
        string firstKey, secondKey, revokedKey, output;
        using (var server = await ServerProcess.StartAsync(data.Path, Settings, timeout.Token))
        {
            (firstKey, _) = await TenantApi.CreateTenantAsync(server.CreateClient, tenant);
            (secondKey, _) = await TenantApi.IssueKeyAsync(server.CreateClient, tenant);
            string revokedId;
            (revokedKey, revokedId) = await TenantApi.IssueKeyAsync(server.CreateClient, tenant);
            using var asTenant = server.CreateClient().Sending(firstKey);
            await TenantApi.CreateCounterAsync(asTenant, tenant, "likes", initialValue: 10);
            await TenantApi.Expect(await asTenant.DeleteAsync(new Uri($"/tenants/{tenant}/keys/{revokedId}", UriKind.Relative)), HttpStatusCode.NoContent);
            using var anonymous = server.CreateClient().Sending(null);
            for (var i = 0; i < 20; i++)
            {
                await TenantApi.IncrementAsync(anonymous, tenant, "likes");
            }

            using var wrong = server.CreateClient().Sending(revokedKey);
            await TenantApi.Expect(await wrong.GetAsync(new Uri($"/tenants/{tenant}", UriKind.Relative)), HttpStatusCode.Unauthorized);
            server.Kill();
            output = server.Output;
        }

        using var restarted = await ServerProcess.StartAsync(data.Path, Settings, timeout.Token);
        using var asSecond = restarted.CreateClient().Sending(secondKey);
        long? value;
        do
        {
            await Task.Delay(50, timeout.Token);
            value = await TenantApi.ValueAsync(asSecond, tenant, "likes");
        }
        while (value != 30 && !timeout.IsCancellationRequested);

        Assert.Equal(30, value);
        var listed = await TenantApi.Expect(await asSecond.GetAsync(new Uri($"/tenants/{tenant}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(30, listed.GetProperty("counters").GetProperty("likes").GetInt64());
        using var asRevoked = restarted.CreateClient().Sending(revokedKey);
        await TenantApi.Expect(await asRevoked.GetAsync(new Uri($"/tenants/{tenant}", UriKind.Relative)), HttpStatusCode.Unauthorized);
        var tenants = await restarted.CreateClient().GetFromJsonAsync<TenantList>("/tenants", timeout.Token);
        Assert.Contains(tenant, tenants!.Tenants.Select(static listedTenant => listedTenant.Tenant));

        var logs = output + "\n" + restarted.Output;
        Assert.Contains(tenant, logs, StringComparison.Ordinal);
        foreach (var key in (string[])[firstKey, secondKey, revokedKey, TestKeys.Operator])
        {
            Assert.DoesNotContain(key[..8], logs, StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.Hash(key)[..16], logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Keyed_mutations_retried_after_a_kill_count_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var tenant = TenantApi.UniqueTenant("retried");
        const int Requests = 200;
        using (var server = await ServerProcess.StartAsync(data.Path, Settings, timeout.Token))
        {
            await TenantApi.CreateTenantAsync(server.CreateClient, tenant);
            using var setup = server.CreateClient();
            using (var strict = await setup.PostAsJsonAsync($"/tenants/{tenant}", new { counter = "strict", mode = "strict" }, timeout.Token))
            {
                Assert.Equal(HttpStatusCode.Created, strict.StatusCode);
            }

            await TenantApi.CreateCounterAsync(setup, tenant, "lax");

            // Requests in flight when the process dies: some committed and answered, some committed and not answered, some not committed.
            using var client = server.CreateClient();
            var sending = Task.WhenAll(Enumerable.Range(0, Requests).Select(i => SendQuietlyAsync(client, tenant, i)));
            await Task.Delay(TimeSpan.FromMilliseconds(300), timeout.Token);
            server.Kill();
            await sending;
        }

        using var restarted = await ServerProcess.StartAsync(data.Path, Settings, timeout.Token);
        using var retrying = restarted.CreateClient();
        for (var i = 0; i < Requests; i++)
        {
            foreach (var counter in (string[])["strict", "lax"])
            {
                using var response = await retrying.SendAsync(Keyed(tenant, counter, i), timeout.Token);
                Assert.True(response.IsSuccessStatusCode, $"retry {i} of {counter}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(Requests, await TenantApi.ValueAsync(retrying, tenant, "strict"));
        long? lax;
        do
        {
            await Task.Delay(100, timeout.Token);
            lax = (await TenantApi.Expect(await retrying.GetAsync(new Uri($"/tenants/{tenant}/lax?consistency=strong", UriKind.Relative), timeout.Token), HttpStatusCode.OK)).GetProperty("value").GetInt64();
        }
        while (lax != Requests && !timeout.IsCancellationRequested);

        Assert.Equal(Requests, lax);
    }

    public void Dispose() => data.Dispose();

    private static HttpRequestMessage Keyed(string tenant, string counter, int i)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/tenants/{tenant}/{counter}/inc");
        request.Headers.Add("Idempotency-Key", $"{counter}-{i}");
        return request;
    }

    private static async Task SendQuietlyAsync(HttpClient client, string tenant, int i)
    {
        foreach (var counter in (string[])["strict", "lax"])
        {
            try
            {
                using var response = await client.SendAsync(Keyed(tenant, counter, i));
            }
            catch (Exception exception) when (exception is HttpRequestException or SocketException)
            {
                // The process was killed (a connection it accepted but never served can fail with a bare SocketException): whether this one was committed is what the retry finds out.
            }
        }
    }

    private sealed record TenantList(IReadOnlyList<TenantItem> Tenants);

    private sealed record TenantItem(string Tenant);
}
