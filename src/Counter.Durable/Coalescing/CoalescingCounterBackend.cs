using Counter.Api;
using Counter.Core;

namespace Counter.Durable.Coalescing;

/// <summary>
/// The contract's port with increments coalesced by <see cref="SignalCoalescer"/>; every other call goes to
/// <paramref name="inner"/> as it is. With <see cref="CounterOptions.SignalCoalescingWindow"/> zero it only passes through.
/// </summary>
public sealed class CoalescingCounterBackend(ICounterBackend inner, SignalCoalescer coalescer) : ICounterBackend
{
    public CounterOptions Options => inner.Options;

    public ISnapshotStore Snapshots => inner.Snapshots;

    public Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken)
    {
        var options = inner.Options;
        // An add with an idempotency key goes alone: the shard remembers its key, which a combined add would not carry.
        if (options.SignalCoalescingWindow == TimeSpan.Zero || operation != ShardOperations.Add || input is not AddIncrements add || add.IdempotencyKey is not null)
        {
            return inner.SignalAsync(target, operation, input, cancellationToken);
        }

        // Not cancelled with the request: once gathered, its increments go out with the others whether or not it waits.
        return coalescer.AddAsync(target, add, options, combined => inner.SignalAsync(target, operation, combined, CancellationToken.None));
    }

    /// <summary>
    /// The shard whose signal is being gathered, when one is: a window then carries the increments of every request that
    /// names no shard, one queue message in all rather than one for each shard, and each still lands on a random shard.
    /// </summary>
    public int ChooseShard()
    {
        var options = inner.Options;
        return options.SignalCoalescingWindow > TimeSpan.Zero && coalescer.GatheringShard(options.ShardCount) is { } shard
            ? shard
            : inner.ChooseShard();
    }

    public Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class =>
        inner.ReadEntityAsync<TState>(entity, cancellationToken);

    public Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken) =>
        inner.ListEntitiesAsync(entityName, cancellationToken);

    public Task<long> ReadTotalAsync(CounterKey counter, CancellationToken cancellationToken) =>
        inner.ReadTotalAsync(counter, cancellationToken);
}
