using Counter.Core;
using Counter.Server.Runtime;
using Counter.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Counter.Server.Tests;

/// <summary>
/// The real server in memory over a temporary data folder (deleted on dispose), with a <see cref="ManualTimeProvider"/>
/// for every clock and configuration overrides: <c>new CounterServerFactory().WithSetting("Counters:ShardCount", "2")</c>.
/// Debounce timers only fire when a test calls <c>Clock.Advance</c>.
/// </summary>
public sealed class CounterServerFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory data = new();
    private readonly Dictionary<string, string?> settings = [];
    private readonly List<Action<IServiceCollection>> serviceChanges = [];

    public ManualTimeProvider Clock { get; } = new();

    public string DataPath => data.Path;

    /// <summary>The runtime behind the server, e.g. to wait until everything sent is processed.</summary>
    public EntityRuntime Runtime => Services.GetRequiredService<EntityRuntime>();

    /// <summary>Overrides one configuration key; call before the first client is created.</summary>
    public CounterServerFactory WithSetting(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    /// <summary>Changes the host's services after its own registrations, e.g. to wrap its backend; call before the first client is created.</summary>
    public CounterServerFactory WithServices(Action<IServiceCollection> change)
    {
        serviceChanges.Add(change);
        return this;
    }

    /// <summary>Completes once everything sent so far, and what it caused, is processed (timers excepted).</summary>
    public Task WhenIdleAsync() => Runtime.WhenIdleAsync(CancellationToken.None);

    /// <summary>
    /// Moves the clock past both debounce delays, processing what each one sets off, until every accepted increment
    /// has reached the snapshot store.
    /// </summary>
    public async Task SettleAsync()
    {
        var options = Services.GetRequiredService<IOptionsMonitor<CounterOptions>>().CurrentValue;
        await WhenIdleAsync();
        Clock.Advance(options.ShardWriteToGlobalAfter);
        await WhenIdleAsync();
        Clock.Advance(options.GlobalWriteToSnapshotAfter);
        await WhenIdleAsync();
        await Runtime.WhenSnapshotsDeliveredAsync(CancellationToken.None);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataPath", data.Path);
        builder.UseSetting("Admin:KeyHashes:0", TestKeys.OperatorHash);
        // Every client of a test comes from one address: tests of other things must not meet the per-address limit.
        builder.UseSetting("RateLimits:PerAddress:TokensPerPeriod", TestKeys.UnlimitedTokens);
        builder.UseSetting("RateLimits:PerAddress:Burst", TestKeys.UnlimitedTokens);
        // Global entities take each batch at once: their batch window would wait for the manual clock.
        builder.UseSetting("Runtime:GlobalBatchWindow", "00:00:00");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            foreach (var change in serviceChanges)
            {
                change(services);
            }
        });
    }

    /// <summary>Clients send the operator key; a test of access sends another with <see cref="TestKeys.Sending"/>.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.Sending(TestKeys.Operator);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            data.Dispose();
        }
    }
}
