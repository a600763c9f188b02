
namespace Counter.Server.Runtime;

/// <summary>
/// Runs the <see cref="EntityRuntime"/> with the host. On stop (SIGTERM, Ctrl+C) it first flushes every shard and the
/// global entity to the read path, within the host's shutdown timeout, so a planned restart leaves the snapshots current.
/// </summary>
internal sealed partial class EntityRuntimeService(EntityRuntime runtime, ILogger<EntityRuntimeService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Start();
        return Task.CompletedTask;
    }

    private readonly Lock gate = new();
    private Task? stopping;

    /// <summary>Runs once: a host that is both disposed and shut down (as under WebApplicationFactory) asks twice.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return stopping ??= FlushAndStopAsync(cancellationToken);
        }
    }

    private async Task FlushAndStopAsync(CancellationToken cancellationToken)
    {
        if (!runtime.IsRunning)
        {
            return;
        }

        try
        {
            await runtime.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogFlushCutShort(logger, runtime.PendingSignals, runtime.OutboxStatus.Backlog);
        }

        await runtime.StopAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shutdown timeout ended the final flush with {Pending} messages and {Outbox} snapshots left; they are persisted and resume on the next start.")]
    private static partial void LogFlushCutShort(ILogger logger, long pending, int outbox);
}
