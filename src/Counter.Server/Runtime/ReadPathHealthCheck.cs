using Counter.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Counter.Server.Runtime;

/// <summary>
/// The read path: degraded when the snapshot store cannot be read or while writing snapshots to it keeps failing. Not
/// unhealthy: increments are still accepted, nothing is lost, and the outbox keeps the snapshots until they are written,
/// so the read path catches up once the store is back.
/// </summary>
internal sealed class ReadPathHealthCheck(EntityRuntime runtime, ISnapshotStore snapshots) : IHealthCheck
{
    /// <summary>
    /// How long a probe waits for the snapshot store before reporting it degraded, so that a store that hangs never
    /// holds a probe.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var status = runtime.OutboxStatus;
        var data = new Dictionary<string, object>
        {
            ["outboxBacklog"] = status.Backlog,
            ["consecutiveFailures"] = status.ConsecutiveFailures,
        };
        try
        {
            await snapshots.ReadPageAsync(CounterKey.DefaultTenant, null, null, 1, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded("The snapshot store cannot be read; increments are still accepted.", exception, data);
        }

        if (status.IsFailing)
        {
            data["lastError"] = status.LastError ?? string.Empty;
            data["lastFailureAt"] = status.LastFailureAt?.ToString("O") ?? string.Empty;
            return HealthCheckResult.Degraded($"Writing snapshots keeps failing ({status.ConsecutiveFailures} times); reads are stale.", data: data);
        }

        return HealthCheckResult.Healthy("The snapshot store is readable and up to date with the outbox.", data);
    }
}
