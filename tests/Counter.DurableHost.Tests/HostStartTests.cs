using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace Counter.DurableHost.Tests;

/// <summary>What the host does before its task hub runs: invalid options stop it, unreachable storage makes it refuse work.</summary>
public sealed class HostStartTests
{
    [Fact]
    public void Invalid_durable_options_stop_the_host_naming_each()
    {
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("Durable:TaskHub", "9-not-a-hub")
            .UseSetting("Durable:PartitionCount", "17")
            .UseSetting("Durable:StorageConnection", "AccountName=;Nonsense")
            .UseSetting("Durable:MaxQueuePollingInterval", "00:00:00")
            .UseSetting("Durable:ControlQueueBufferThreshold", "0")
            .UseSetting("Durable:ExtendedSessionIdleTimeout", "00:00:00"));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        var problems = (failure is AggregateException all ? all.Flatten().InnerExceptions : [failure])
            .OfType<OptionsValidationException>().SelectMany(static invalid => invalid.Failures).ToList();

        Assert.Contains(problems, static problem => problem.StartsWith("Durable:TaskHub must be", StringComparison.Ordinal));
        Assert.Contains("Durable:PartitionCount must be between 1 and 16; it was 17.", problems);
        Assert.Contains(problems, static problem => problem.StartsWith("Durable:StorageConnection is neither an account name", StringComparison.Ordinal));
        Assert.Contains(problems, static problem => problem.StartsWith("Durable:MaxQueuePollingInterval must be greater than", StringComparison.Ordinal));
        Assert.Contains("Durable:ControlQueueBufferThreshold must be between 1 and 10000; it was 0.", problems);
        Assert.Contains(problems, static problem => problem.StartsWith("Durable:ExtendedSessionIdleTimeout must be greater than", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreachable_hub_storage_is_unhealthy_and_increments_get_503_problem_details()
    {
        var nothingListens = $"http://127.0.0.1:{FreePort()}/devstoreaccount1";
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("Durable:StorageConnection", $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint={nothingListens};QueueEndpoint={nothingListens};TableEndpoint={nothingListens}"));
        using var client = host.CreateClient();

        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());

        using var increment = await client.PostAsync(new Uri("/increment/likes", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, increment.StatusCode);
        Assert.Equal("application/problem+json", increment.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(increment.Headers.RetryAfter);
        Assert.DoesNotContain("a2V5", await increment.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
