using System.Text.Json;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

public sealed partial class EntityRuntime
{
    /// <summary>
    /// The states of every entity named <paramref name="everyNamed"/> and of <paramref name="entity"/> as they will be once
    /// every message committed so far for them is processed: the states and their queued messages are read as of one
    /// commit, the messages are applied in order to those copies by the entities' own operations, and so are the signals
    /// that sends to these entities. Messages scheduled for later are left out; nothing is changed or committed.
    /// </summary>
    public IReadOnlyDictionary<EntityAddress, object> ReadSettled(string everyNamed, EntityAddress entity)
    {
        var read = store.ReadWithMessages(everyNamed, entity);
        var states = read.States.ToDictionary(static stored => stored.Entity, static stored => RuntimeJson.State(stored.Entity, stored));
        var now = timeProvider.GetUtcNow();
        var queued = new Queue<EntityMessage>(read.Messages.Select(static stored => stored.Message).Where(message => message.DueAt is null || message.DueAt <= now));
        var counting = counterOptions.CurrentValue;
        while (queued.TryDequeue(out var message))
        {
            EntityStep<object> step;
            try
            {
                var state = states.GetValueOrDefault(message.Target) ?? RuntimeJson.State(message.Target, null);
                step = EntityOperations.Apply(state, message.Operation, InputOf(message), new EntityContext(message.Target, counting, now));
            }
            catch (Exception exception) when (exception is JsonException or ArgumentException)
            {
                // Unreadable or refused: its runner drops it too (and logs it when it does).
                continue;
            }

            states[message.Target] = step.State;
            foreach (var effect in step.Effects)
            {
                if (effect is SignalEffect { At: null } signal && (signal.Target.Name == everyNamed || signal.Target == entity))
                {
                    queued.Enqueue(new EntityMessage(signal.Target, signal.Operation, InputJson: null) { Input = signal.Input });
                }
            }
        }

        return states;
    }
}
