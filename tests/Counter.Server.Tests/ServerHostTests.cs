using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests;

public sealed class ServerHostTests
{
    [Fact]
    public async Task Health_reports_healthy_once_started()
    {
        await using var server = new CounterServerFactory();
        using var response = await server.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_contract()
    {
        await using var server = new CounterServerFactory();
        using var document = JsonDocument.Parse(await server.CreateClient().GetStringAsync("/openapi/v1.json"));
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/increment/{counter}", out _));
    }

    [Fact]
    public async Task The_global_partition_count_is_the_one_read_at_start_while_other_options_reload()
    {
        await using var server = new CounterServerFactory().WithSetting("Counters:GlobalPartitions", "4");
        var backend = server.Services.GetRequiredService<ICounterBackend>();
        Assert.Equal(4, backend.Options.GlobalPartitions);

        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        configuration["Counters:GlobalPartitions"] = "16";
        configuration["Counters:ShardCount"] = "7";
        configuration.Reload();

        Assert.Equal(7, backend.Options.ShardCount);
        Assert.Equal(4, backend.Options.GlobalPartitions);
    }

    [Fact]
    public async Task The_tenant_store_is_one_SQLite_file_of_its_own_in_the_data_folder_and_also_the_strict_counter_and_idempotency_store()
    {
        await using var server = new CounterServerFactory();
        var tenants = server.Services.GetRequiredService<ITenantStore>();

        Assert.Same(tenants, server.Services.GetRequiredService<ITenantStore>());
        Assert.IsType<SqliteTenantStore>(tenants);
        Assert.Same(tenants, server.Services.GetRequiredService<IStrictCounterStore>());
        Assert.Same(tenants, server.Services.GetRequiredService<IIdempotencyStore>());
        Assert.True(await tenants.TryCreateTenantAsync(new TenantRecord("acme", DateTimeOffset.UnixEpoch), new TenantKeyRecord("acme", "k1", "hash", DateTimeOffset.UnixEpoch), default));
        var reopened = new SqliteTenantStore(Path.Combine(server.DataPath, "tenants.db"), SqliteSynchronous.Full);
        Assert.NotNull(await reopened.ReadTenantAsync("acme", default));
    }

    [Fact]
    public async Task Configuration_overrides_reach_the_counting_options()
    {
        await using var server = new CounterServerFactory().WithSetting("Counters:ShardCount", "8");
        Assert.Equal(8, server.Services.GetRequiredService<ICounterBackend>().Options.ShardCount);
    }

    [Theory]
    [InlineData("Runtime:MaxPendingSignals", "0", "Runtime:MaxPendingSignals")]
    [InlineData("Runtime:GlobalBatchWindow", "00:00:02", "Runtime:GlobalBatchWindow")]
    [InlineData("Storage:Synchronous", "Sometimes", "Storage:Synchronous")]
    [InlineData("Counters:ShardCount", "0", "Counters:ShardCount")]
    [InlineData("Counters:ShardWriteToGlobalAfter", "00:00:00", "Counters:ShardWriteToGlobalAfter")]
    [InlineData("Counters:KeyPrefix", "bad~prefix", "Counters:KeyPrefix")]
    [InlineData("Admin:KeyHashes:0", "not-a-hash", "Admin:KeyHashes:0")]
    [InlineData("Tenants:RefreshInterval", "00:00:00", "Tenants:RefreshInterval")]
    [InlineData("ReadCache:SizeLimit", "-1", "ReadCache:SizeLimit")]
    [InlineData("ReadCache:TimeToLive", "00:02:00", "ReadCache:TimeToLive")]
    [InlineData("Throttling:PublicIncrements:MaxConcurrent", "0", "Throttling:PublicIncrements:MaxConcurrent")]
    [InlineData("Throttling:Administration:QueueTimeout", "00:00:00", "Throttling:Administration:QueueTimeout")]
    [InlineData("RateLimits:PerAddress:Burst", "0", "RateLimits:PerAddress:Burst")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "not-an-address", "ForwardedHeaders:KnownProxies:0")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "ForwardedHeaders:KnownNetworks:0")]
    [InlineData("Cors:DefaultTenantOrigins:0", "https://site.example/path", "Cors:DefaultTenantOrigins")]
    public async Task Invalid_options_stop_the_start_with_a_message_naming_them(string key, string value, string named)
    {
        await using var server = new CounterServerFactory().WithSetting(key, value);
        var failure = Assert.ThrowsAny<Exception>(() => server.CreateClient());
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Development_the_documented_development_key_stops_the_start()
    {
        await using var production = new CounterServerFactory()
            .WithSetting("environment", "Production")
            .WithSetting("Admin:KeyHashes:0", TestKeys.Hash(ApiKeys.DevelopmentKey));
        await using var development = new CounterServerFactory()
            .WithSetting("Admin:KeyHashes:0", TestKeys.Hash(ApiKeys.DevelopmentKey));

        var failure = Assert.ThrowsAny<Exception>(() => production.CreateClient());
        var client = development.CreateClient().Sending(ApiKeys.DevelopmentKey);

        Assert.Contains("development key", failure.ToString(), StringComparison.Ordinal);
        using var response = await client.GetAsync("/global/counters");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Increments_reach_the_read_path_when_the_timers_fire()
    {
        await using var server = new CounterServerFactory();
        var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await client.PostAsync("/increment/visits", null);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await server.SettleAsync();

        using var counter = await client.GetAsync("/counters/visits");
        Assert.Equal(HttpStatusCode.OK, counter.StatusCode);
        Assert.Equal(3, (await counter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetInt64());
        var stored = await new SqliteSnapshotStore(Path.Combine(server.DataPath, "counters.db"), SqliteSynchronous.Full).ReadAsync(CounterKey.InDefaultTenant("visits"), default);
        Assert.Equal(3, stored!.Value);
    }
}
