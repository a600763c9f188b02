using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Counter.Server.Runtime;

/// <summary>Healthy while the runtime runs; unhealthy when it is not (not started yet, or stopped).</summary>
internal sealed class RuntimeHealthCheck(EntityRuntime runtime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object> { ["pendingSignals"] = runtime.PendingSignals };
        return Task.FromResult(runtime.IsRunning
            ? HealthCheckResult.Healthy("The entity runtime is running.", data)
            : HealthCheckResult.Unhealthy("The entity runtime is not running.", data: data));
    }
}
