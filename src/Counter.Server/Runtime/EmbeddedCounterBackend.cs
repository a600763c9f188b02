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

    /// <summary>
    /// Exact: the counter's partition and every shard as of one commit, with the messages queued for them applied
    /// (<see cref="EntityRuntime.ReadSettled"/>), so every increment acknowledged by then is counted, flushes in flight too.
    /// </summary>
    public Task<long> ReadTotalAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var partition = GlobalPartitions.AddressOf(counter, Options.GlobalPartitions);
        var states = runtime.ReadSettled(EntityAddress.ShardName, partition);
        return Task.FromResult(ShardedTotal.Of(counter, states.GetValueOrDefault(partition) as GlobalState, states.Values.OfType<ShardState>()));
    }
}
