using Counter.Api;
using Counter.Durable;
using Counter.Durable.Coalescing;
using Counter.Storage.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Counter.DurableHost.TaskHub;

public static class TaskHubServices
{
    /// <summary>
    /// Registers the task hub (validated <c>Durable</c> options), its worker as a hosted service, the entity client and
    /// <see cref="ICounterBackend"/> over it (increments coalesced), and the health checks of the hub and the read path. The read path defaults
    /// to the hub's own storage account when <c>Storage:TablesConnection</c> is not set.
    /// </summary>
    public static IServiceCollection AddDurableTaskHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DurableOptions>().Bind(configuration.GetSection(DurableOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddOptions<TableStorageOptions>().PostConfigure<IOptions<DurableOptions>>(static (tables, durable) =>
            tables.TablesConnection ??= StorageConnections.TablesConnectionFor(durable.Value));

        // One converter for the client's inputs and the worker's entity states and inputs: both sides must agree.
        services.AddSingleton<DataConverter>(new CompactStateConverter(JsonDataConverter.Default));
        services.AddSingleton(static provider => new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { DataConverter = provider.GetRequiredService<DataConverter>() },
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ExtendedSessionStates>();
        services.AddSingleton<EntityBatchDispatcher>();
        services.AddSingleton<TaskHubRuntime>();
        services.AddHostedService(static provider => provider.GetRequiredService<TaskHubRuntime>());
        services.AddSingleton<DurableEntityClient, TaskHubEntityClient>();
        services.AddSingleton<DurableCounterBackend>();
        services.AddSingleton<ICounterBackend>(static provider => new CoalescingCounterBackend(
            provider.GetRequiredService<DurableCounterBackend>(), provider.GetRequiredService<SignalCoalescer>()));
        services.AddHealthChecks()
            .AddCheck<TaskHubHealthCheck>("task-hub", HealthStatus.Unhealthy, [], TaskHubHealthCheck.Timeout)
            .AddCheck<ReadPathHealthCheck>("read-path", HealthStatus.Degraded, [], ReadPathHealthCheck.Timeout);
        return services;
    }
}
