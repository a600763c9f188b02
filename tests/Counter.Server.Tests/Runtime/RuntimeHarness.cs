using Counter.Core;
using Counter.Server.Runtime;
using Counter.Server.Storage;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Counter.Server.Tests.Runtime;

/// <summary>The runtime as the server registers it (storage, snapshot store, hosted service), in a plain host over a data folder.</summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private RuntimeHarness(IHost host) => this.host = host;

    public EntityRuntime Runtime => host.Services.GetRequiredService<EntityRuntime>();

    public ISnapshotStore Snapshots => host.Services.GetRequiredService<ISnapshotStore>();

    public IServiceProvider Services => host.Services;

    /// <summary>
    /// Settings every runtime test starts from: nothing flushes or snapshots unless a test makes it, and global entities take
    /// each batch at once (their batch window would wait for the manual clock).
    /// </summary>
    public static Dictionary<string, string?> QuietSettings() => new()
    {
        ["Runtime:GlobalBatchWindow"] = "00:00:00",
        ["Counters:ShardMinIncrementsToGlobal"] = "1000000",
        ["Counters:GlobalMinWritesToSnapshot"] = "1000000",
        ["Counters:ShardWriteToGlobalAfter"] = "00:00:05",
        ["Counters:GlobalWriteToSnapshotAfter"] = "00:00:05",
    };

    public static async Task<RuntimeHarness> StartAsync(
        string dataPath,
        ManualTimeProvider clock,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var host = Build(dataPath, clock, settings, configureServices);
        await host.StartAsync();
        return new RuntimeHarness(host);
    }

    /// <summary>
    /// A runtime's host over <paramref name="dataPath"/> that is not started, so that nothing persisted is processed:
    /// its services see the files as they are at one moment.
    /// </summary>
    public static IHost Unstarted(string dataPath, ManualTimeProvider clock, IDictionary<string, string?>? settings = null) =>
        Build(dataPath, clock, settings, configureServices: null);

    /// <summary>Stops the host the way SIGTERM does: with the final flush.</summary>
    public async Task StopGracefullyAsync()
    {
        stopped = true;
        await host.StopAsync();
    }

    /// <summary>Stops without the final flush, as close to a crash as a test in one process gets: whatever was not processed stays in the files.</summary>
    public async Task AbandonAsync()
    {
        stopped = true;
        await Runtime.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped)
        {
            await Runtime.StopAsync();
        }

        host.Dispose();
    }

    /// <summary>A message as the store keeps it: its input as JSON only, as after a restart.</summary>
    public static EntityMessage Message(EntityAddress target, string operation, object input) =>
        new(target, operation, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(input, input.GetType(), CounterJsonContext.Default));

    /// <summary>Messages written straight to the entity store, as a crashed host would leave them.</summary>
    public static void Persist(string dataPath, IReadOnlyList<EntityMessage> messages)
    {
        using var store = SqliteEntityStore.Open(Path.Combine(dataPath, StorageOptions.EntitiesFileName), SqliteSynchronous.Full);
        store.Append(messages);
    }

    public static PersistedEntities Load(string dataPath)
    {
        using var store = SqliteEntityStore.Open(Path.Combine(dataPath, StorageOptions.EntitiesFileName), SqliteSynchronous.Full);
        return store.Load();
    }

    private static IHost Build(string dataPath, ManualTimeProvider clock, IDictionary<string, string?>? settings, Action<IServiceCollection>? configureServices)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(QuietSettings());
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Configuration["Storage:DataPath"] = dataPath;
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddOptions<CounterOptions>().Bind(builder.Configuration.GetSection(CounterOptions.SectionName));
        builder.Services.AddCounterStorage(builder.Configuration);
        builder.Services.AddEntityRuntime(builder.Configuration);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}
