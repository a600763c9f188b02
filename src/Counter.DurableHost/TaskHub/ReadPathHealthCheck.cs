using Counter.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Counter.DurableHost.TaskHub;

/// <summary>
/// Degraded, not unhealthy, when the snapshot store cannot be read: increments are still accepted and nothing is lost,
/// since the global entity snapshots the counters whose write failed again later (the core's resnapshot rule).
/// </summary>
internal sealed class ReadPathHealthCheck(ISnapshotStore snapshots) : IHealthCheck
{
    /// <summary>How long a probe waits for the store before reporting it degraded, rather than the client's whole retry schedule.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await snapshots.ReadPageAsync(CounterKey.DefaultTenant, null, null, 1, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The snapshot store is readable.");
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded("The snapshot store cannot be read; increments are still accepted.", failure);
        }
    }
}
