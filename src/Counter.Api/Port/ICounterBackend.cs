using Counter.Core;

namespace Counter.Api;

/// <summary>
/// The port each host implements for the HTTP contract: the self-contained host over its embedded entity runtime,
/// the Functions host over Durable Entities. It mirrors a Durable Entities client: signal, read, list.
/// </summary>
public interface ICounterBackend
{
    /// <summary>The options in force now (they may be reloaded while the host runs).</summary>
    CounterOptions Options { get; }

    /// <summary>The read path.</summary>
    ISnapshotStore Snapshots { get; }

    /// <summary>
    /// Sends an operation to an entity and returns once the signal is durable: it will be delivered even if the host
    /// crashes right after. Throws <see cref="BackendOverloadedException"/> when the host cannot take more work now.
    /// </summary>
    Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken);

    /// <summary>
    /// The shard an increment that names none goes to: a random one of <see cref="CounterOptions.ShardCount"/>. A backend
    /// that gathers increments into signals prefers the shard it is gathering for, so that one signal carries them.
    /// </summary>
    int ChooseShard() => Random.Shared.Next(Options.ShardCount);

    /// <summary>An entity's current state, or null if it has none.</summary>
    Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class;

    /// <summary>Every entity of one kind that has state, e.g. every shard, including shards beyond the current ShardCount.</summary>
    Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken);

    /// <summary>
    /// A sharded counter's total now (<see cref="ShardedTotal.Of"/>). Here its global partition's state and then every
    /// shard's are read one after the other, each as last committed, so a flush that left a shard and has not reached the
    /// partition yet is in neither and is missed. A host that can read its queued messages with the states, as of one
    /// commit, counts what is queued too and misses nothing.
    /// </summary>
    async Task<long> ReadTotalAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var global = await ReadEntityAsync<GlobalState>(GlobalPartitions.AddressOf(counter, Options.GlobalPartitions), cancellationToken).ConfigureAwait(false);
        var shards = new List<ShardState>();
        foreach (var shard in await ListEntitiesAsync(EntityAddress.ShardName, cancellationToken).ConfigureAwait(false))
        {
            if (await ReadEntityAsync<ShardState>(shard, cancellationToken).ConfigureAwait(false) is { } state)
            {
                shards.Add(state);
            }
        }

        return ShardedTotal.Of(counter, global, shards);
    }
}
