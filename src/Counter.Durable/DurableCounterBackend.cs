using Counter.Api;
using Counter.Core;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Options;

namespace Counter.Durable;

/// <summary>
/// The HTTP contract's port over Durable Entities, for either Durable host: the Functions app passes its invocation's
/// <c>DurableTaskClient.Entities</c>, the Durable Task host its client over the Azure Storage backend. Signals return once
/// the backend has enqueued them; adds are numbered, so that a shard applies one delivered twice once.
/// </summary>
public sealed class DurableCounterBackend(
    DurableEntityClient entities, ISnapshotStore snapshots, IOptionsMonitor<CounterOptions> options, SignalSequencer sequencer)
    : ICounterBackend
{
    public CounterOptions Options => options.CurrentValue;

    public ISnapshotStore Snapshots => snapshots;

    public Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken) =>
        entities.SignalEntityAsync(
            IdOf(target), operation, input is AddIncrements add ? sequencer.Number(target, add) : input, options: null, cancellationToken);

    public async Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class
    {
        var metadata = await entities.GetEntityAsync<TState>(IdOf(entity), includeState: true, cancellationToken).ConfigureAwait(false);
        return metadata is { IncludesState: true } ? metadata.State : null;
    }

    public async Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken)
    {
        // "@name@" matches that entity name exactly, whatever the key: instance ids are "@name@key".
        var query = new EntityQuery { InstanceIdStartsWith = $"@{entityName}@", IncludeState = false };
        var found = new List<EntityAddress>();
        await foreach (var entity in entities.GetAllEntitiesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            found.Add(new EntityAddress(entity.Id.Name, entity.Id.Key));
        }

        return found;
    }

    private static EntityInstanceId IdOf(EntityAddress address) => new(address.Name, address.Key);
}
