using System.Text.Json;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

public sealed partial class EntityRuntime
{
    /// <summary>
    /// Processes an entity's queue batch by batch until it is empty; the one runner of that entity. With several global
    /// partitions a global entity waits <see cref="RuntimeOptions.GlobalBatchWindow"/> before each batch but one that
    /// follows a full batch, so that flushes arriving meanwhile join it, while a backlog is worked off without waiting.
    /// </summary>
    private async Task RunAsync(EntityInstance instance)
    {
        try
        {
            var retryDelay = options.RetryMinDelay;
            var gathers = instance.Address.Name == EntityAddress.GlobalName && options.GlobalBatchWindow > TimeSpan.Zero
                && counterOptions.CurrentValue.GlobalPartitions > 1;
            var lastWasFull = false;
            while (!stopped)
            {
                if (gathers && !lastWasFull)
                {
                    await Task.Delay(options.GlobalBatchWindow, timeProvider, stopping.Token).ConfigureAwait(false);
                }

                if (!instance.TryTake(options.MaxOperationsPerBatch, out var batch))
                {
                    break;
                }

                lastWasFull = batch.Count >= options.MaxOperationsPerBatch;
                try
                {
                    await ProcessBatchAsync(instance, batch).ConfigureAwait(false);
                    retryDelay = options.RetryMinDelay;
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    // The commit did not happen, so the state in memory is ahead of the store: the next try reloads the committed one.
                    LogCommitFailed(logger, exception, instance.Address, retryDelay);
                    instance.State = null;
                    instance.Requeue(batch);
                    await Task.Delay(retryDelay, timeProvider, stopping.Token).ConfigureAwait(false);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, options.RetryMaxDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the batch is requeued in memory and still persisted, so it runs after the next start.
        }
        finally
        {
            runners.Add(-1);
        }
    }

    /// <summary>Applies a batch to the entity's state and commits the new state, the consumed messages and the effects at once.</summary>
    private async Task ProcessBatchAsync(EntityInstance instance, List<StoredMessage> batch)
    {
        var entity = instance.Address;
        var state = instance.State ?? RuntimeJson.State(entity, instance.HasCommittedState ? store.ReadState(entity) : null);
        var deliveries = new List<(string Operation, object? Input)>(batch.Count);
        foreach (var stored in batch)
        {
            if (TryReadInput(stored, out var input))
            {
                deliveries.Add((stored.Message.Operation, input));
            }
        }

        var signals = new List<EntityMessage>();
        var snapshots = new List<SnapshotBatch>();
        var counting = counterOptions.CurrentValue;
        foreach (var (operation, input) in DeliveryBatching.Coalesce(entity, deliveries))
        {
            EntityStep<object> step;
            try
            {
                step = EntityOperations.Apply(state, operation, input, new EntityContext(entity, counting, timeProvider.GetUtcNow()));
            }
            catch (ArgumentException exception)
            {
                LogOperationRefused(logger, exception, entity, operation);
                continue;
            }

            state = step.State;
            foreach (var effect in step.Effects)
            {
                switch (effect)
                {
                    case SignalEffect signal:
                        signals.Add(new EntityMessage(signal.Target, signal.Operation, RuntimeJson.SerializeInput(signal.Input), signal.At) { Input = signal.Input });
                        break;
                    case SnapshotEffect snapshot:
                        snapshots.Add(snapshot.Batch);
                        break;
                    default:
                        throw new InvalidOperationException($"The runtime cannot carry out a {effect.GetType().Name}.");
                }
            }
        }

        var (stateJson, totals, totalsAreComplete) = RuntimeJson.ToStore(state, instance.KeptTotals);
        var committed = await committer.CommitAsync(
            new EntityBatch(entity, stateJson, totals, totalsAreComplete, batch.ConvertAll(message => message.Id), signals, snapshots)).ConfigureAwait(false);
        instance.State = state;
        instance.HasCommittedState = true;
        instance.KeptTotals = totalsAreComplete ? totals.Count : instance.KeptTotals + totals.Count;
        foreach (var signal in committed.Signals)
        {
            Route(signal);
        }

        for (var index = 0; index < snapshots.Count; index++)
        {
            outbox.Add(committed.Snapshots[index], snapshots[index]);
        }

        // Counted down only after what the batch caused is counted up, so idleness is never seen too early.
        pending.Add(-batch.Count);
        metrics.MessagesProcessed(batch.Count);
    }

    /// <summary>
    /// The input as it was sent when this process sent it (inputs are never changed by operations), otherwise read from
    /// its JSON. A message that cannot be read is dropped (and logged) rather than blocking its entity forever.
    /// </summary>
    private bool TryReadInput(StoredMessage stored, out object? input)
    {
        var message = stored.Message;
        try
        {
            input = InputOf(message);
            return true;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            LogOperationRefused(logger, exception, message.Target, message.Operation);
            input = null;
            return false;
        }
    }

    /// <summary>The input a message carries; throws <see cref="JsonException"/> or <see cref="ArgumentException"/> when its JSON cannot be read.</summary>
    private static object? InputOf(EntityMessage message) =>
        message.Input ?? RuntimeJson.Deserialize(message.InputJson, EntityOperations.InputTypeOf(message.Target.Name, message.Operation));

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing a batch of {Entity} failed; retrying in {Delay}.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, EntityAddress entity, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The operation '{Operation}' of {Entity} was refused and dropped.")]
    private static partial void LogOperationRefused(ILogger logger, Exception exception, EntityAddress entity, string operation);
}
