using Counter.Testing;
using Counter.Testing.Azurite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.DurableHost.Tests;

/// <summary>
/// The real Durable Task host in memory, on a task hub and snapshot table of its own in <paramref name="azurite"/>:
/// real queues, real scheduled signals, real entity state, real Table Storage. Settings are overridden with
/// <see cref="WithSetting"/> before the first client, and changed while it runs with <see cref="Reconfigure"/>.
/// </summary>
public sealed class DurableHostFactory(AzuriteAccountFixture azurite) : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings = new()
    {
        ["Durable:StorageConnection"] = azurite.ConnectionString,
        ["Durable:TaskHub"] = UniqueName("hub"),
        ["Storage:TableName"] = UniqueName("counters"),
        ["Admin:KeyHashes:0"] = TestKeys.OperatorHash,
        ["RateLimits:PerAddress:TokensPerPeriod"] = TestKeys.UnlimitedTokens,
        ["RateLimits:PerAddress:Burst"] = TestKeys.UnlimitedTokens,
    };

    public string TaskHub => settings["Durable:TaskHub"]!;

    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 24, 45)];

    public DurableHostFactory WithSetting(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    /// <summary>Changes a setting of the running host, as an edited appsettings.json would.</summary>
    public void Reconfigure(string key, string value)
    {
        var configuration = (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();
        configuration[key] = value;
        configuration.Reload();
    }

    /// <summary>A client once the task hub runs here (<c>/healthz</c> healthy).</summary>
    public async Task<HttpClient> StartAsync()
    {
        var client = CreateClient();
        await Eventually.ReadAsync(
            async () =>
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative)).ConfigureAwait(false);
                return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            },
            static health => health == "Healthy",
            what: "The task hub's health");
        return client;
    }

    /// <summary>Clients send the operator key; a test of access sends another with <see cref="TestKeys.Sending"/>.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.Sending(TestKeys.Operator);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
    }
}
