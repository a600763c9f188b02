using System.Net;
using Counter.Testing.Azurite;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Counter.Server.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TablesEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Increments_are_read_back_at_GET_counters_from_Table_Storage()
    {
        using var server = new TablesServer(azurite.ConnectionString);
        await server.IncrementAsync("likes", 3);
        await server.IncrementAsync("likes", 4);
        await server.IncrementAsync("o'brien", 5);

        await TablesServer.EventuallyAsync(
            async () => await server.CountersAsync() is { } counters && counters.GetValueOrDefault("likes") == 7 && counters.GetValueOrDefault("o'brien") == 5,
            "the read path shows likes=7 and o'brien=5");
        Assert.Contains("Healthy", await server.HealthAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_Azurite_is_down_increments_are_accepted_health_is_degraded_and_the_read_path_catches_up()
    {
        using var server = new TablesServer(azurite.ConnectionString);
        await server.IncrementAsync("views", 1);
        await TablesServer.EventuallyAsync(async () => (await server.CountersAsync()).GetValueOrDefault("views") == 1, "the first increment is readable");

        azurite.Stop();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                await server.IncrementAsync("views", 2);
            }

            await TablesServer.EventuallyAsync(async () => (await server.HealthAsync()).Contains("Degraded", StringComparison.Ordinal), "/healthz reports Degraded");
            using var read = await server.Client.GetAsync("/counters");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.NotNull(read.Headers.RetryAfter);
        }
        finally
        {
            azurite.Start();
        }

        await TablesServer.EventuallyAsync(async () => (await server.CountersAsync()).GetValueOrDefault("views") == 101, "the read path caught up to 101");
        await TablesServer.EventuallyAsync(async () => (await server.HealthAsync()).Contains("Healthy", StringComparison.Ordinal), "/healthz reports Healthy again");
    }

    [Theory]
    [InlineData(null, "Storage:TablesConnection is required")]
    [InlineData("AccountName=x", "Storage:TablesConnection is not a valid connection string")]
    public void Invalid_Tables_settings_stop_the_server_on_start_naming_the_setting(string? connection, string expected)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Storage:DataPath", Path.Combine(Path.GetTempPath(), "counter-tests", Guid.NewGuid().ToString("N")));
            host.UseSetting("Storage:Snapshots", "Tables");
            host.UseSetting("Storage:TablesConnection", connection);
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }
}
