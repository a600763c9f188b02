using DurableTask.Core.Entities;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Counter.DurableHost.TaskHub;

/// <summary>
/// Unhealthy while the task hub is not running here or its storage does not answer: increments are then refused (503).
/// A running hub is probed with the cheapest query it has, one entity of its instance table.
/// </summary>
internal sealed class TaskHubHealthCheck(TaskHubRuntime hub) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object> { ["taskHub"] = hub.TaskHubName };
        if (!hub.IsRunning)
        {
            return HealthCheckResult.Unhealthy($"Task hub '{hub.TaskHubName}' is not running yet.", hub.StartFailure, data);
        }

        try
        {
            var probe = new EntityBackendQueries.EntityQuery { InstanceIdStartsWith = "@", PageSize = 1, IncludeState = false };
            await hub.Entities.EntityBackendQueries!.QueryEntitiesAsync(probe, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Task hub '{hub.TaskHubName}' is running and its storage answers.", data);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Task hub '{hub.TaskHubName}' cannot reach its storage.", failure, data);
        }
    }
}
