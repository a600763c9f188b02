using Counter.Api;
using Counter.Core;
using Microsoft.Extensions.Options;

namespace Counter.Server.Runtime;

/// <summary>The HTTP contract's port over the embedded entity runtime.</summary>
public sealed class EmbeddedCounterBackend(EntityRuntime runtime, ISnapshotStore snapshots, IOptionsMonitor<CounterOptions> options) : ICounterBackend
{
    public CounterOptions Options => options.CurrentValue;

    public ISnapshotStore Snapshots => snapshots;

    public Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken) =>
        runtime.SignalAsync(target, operation, input, cancellationToken);

    public Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class => Task.FromResult(runtime.ReadEntity<TState>(entity));

    public Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken) =>
        Task.FromResult(runtime.ListEntities(entityName));
}
