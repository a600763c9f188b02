using Counter.Api;
using Counter.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Options;

namespace Counter.Functions.Http;

/// <summary>
/// The HTTP contract's port over Durable Entities, for one invocation's <see cref="DurableTaskClient"/>. Signals return
/// once the Durable Task backend has enqueued them. It never pushes back itself: host.json's HTTP throttles answer 429.
/// </summary>
internal sealed class DurableCounterBackend(DurableTaskClient client, ISnapshotStore snapshots, IOptionsMonitor<CounterOptions> options)
    : ICounterBackend
{
    public CounterOptions Options => options.CurrentValue;

    public ISnapshotStore Snapshots => snapshots;

    public Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken) =>
        client.Entities.SignalEntityAsync(IdOf(target), operation, input, options: null, cancellationToken);

    public async Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class
    {
        var metadata = await client.Entities.GetEntityAsync<TState>(IdOf(entity), includeState: true, cancellationToken).ConfigureAwait(false);
        return metadata is { IncludesState: true } ? metadata.State : null;
    }

    public async Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken)
    {
        // "name@" matches that entity name exactly, whatever the key.
        var query = new EntityQuery { InstanceIdStartsWith = $"{entityName}@", IncludeState = false };
        var entities = new List<EntityAddress>();
        await foreach (var entity in client.Entities.GetAllEntitiesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            entities.Add(new EntityAddress(entity.Id.Name, entity.Id.Key));
        }

        return entities;
    }

    private static EntityInstanceId IdOf(EntityAddress address) => new(address.Name, address.Key);
}
