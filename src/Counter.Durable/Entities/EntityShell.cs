using Counter.Core;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Counter.Durable.Entities;

/// <summary>
/// Runs one operation of the core for a Durable entity and carries out its effects, for both entity classes:
/// signals become <see cref="TaskEntityContext.SignalEntity(EntityInstanceId, string, object?, SignalEntityOptions?)"/>
/// calls (scheduled ones with a signal time), snapshots are written to the <see cref="ISnapshotStore"/>.
/// </summary>
public sealed partial class EntityShell(
    IOptionsMonitor<CounterOptions> options,
    TimeProvider timeProvider,
    ISnapshotStore snapshots,
    ILogger<EntityShell> logger)
{
    /// <summary>How long after a failed snapshot write the global entity is asked to snapshot those counters again.</summary>
    public static readonly TimeSpan ResnapshotDelay = TimeSpan.FromSeconds(30);

    /// <summary>Applies <paramref name="operation"/> as the entity of <paramref name="entity"/>, now, and returns the state to keep.</summary>
    public async Task<TState> RunAsync<TState>(TaskEntityContext entity, Func<EntityContext, EntityStep<TState>> operation)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(operation);
        var context = new EntityContext(new EntityAddress(entity.Id.Name, entity.Id.Key), options.CurrentValue, timeProvider.GetUtcNow());
        var step = operation(context);
        foreach (var effect in step.Effects)
        {
            switch (effect)
            {
                case SignalEffect signal:
                    Signal(entity, signal);
                    break;
                case SnapshotEffect snapshot:
                    await WriteSnapshotAsync(entity, snapshot.Batch, context).ConfigureAwait(false);
                    break;
                default:
                    throw new NotSupportedException($"A Durable host cannot carry out a {effect.GetType().Name}.");
            }
        }

        return step.State;
    }

    private static void Signal(TaskEntityContext entity, SignalEffect signal) =>
        entity.SignalEntity(
            new EntityInstanceId(signal.Target.Name, signal.Target.Key),
            signal.Operation,
            signal.Input,
            signal.At is { } at ? new SignalEntityOptions { SignalTime = at } : null);

    /// <summary>
    /// A failed write must not fail the operation: Durable Entities would roll back its state, and with it the merge that
    /// produced the snapshot. The counters are marked for a later snapshot instead, through the core's resnapshot rule.
    /// </summary>
    private async Task WriteSnapshotAsync(TaskEntityContext entity, SnapshotBatch batch, EntityContext context)
    {
        try
        {
            await snapshots.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSnapshotWriteFailed(exception, batch.Version, batch.Rows.Count, ResnapshotDelay);
            var counters = batch.Rows.Select(static row => row.Counter).ToList();
            Signal(entity, new SignalEffect(context.Self, GlobalOperations.Resnapshot, new ResnapshotCounters(counters), context.Now + ResnapshotDelay));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing snapshot {Version} ({Rows} counters) failed; they are snapshotted again in {Delay}.")]
    private partial void LogSnapshotWriteFailed(Exception exception, long version, int rows, TimeSpan delay);
}
