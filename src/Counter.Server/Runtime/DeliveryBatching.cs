using Counter.Core;

namespace Counter.Server.Runtime;

/// <summary>
/// Delivers consecutive <c>shard.add</c> operations of one batch as a single one carrying all their increments, so a
/// batch of many small increments costs one operation. This changes how operations are delivered, not how they count:
/// <see cref="ShardOperations.ApplyAdd"/> takes any number of increments at once. Only plain adds are joined: an add
/// with an idempotency key (or a sender's sequence, or a count) is delivered as it came, as the shard applies it once
/// per key, which a joined add would no longer carry.
/// </summary>
internal static class DeliveryBatching
{
    public static List<(string Operation, object? Input)> Coalesce(EntityAddress entity, IReadOnlyList<(string Operation, object? Input)> deliveries)
    {
        if (entity.Name != EntityAddress.ShardName)
        {
            return [.. deliveries];
        }

        var coalesced = new List<(string Operation, object? Input)>(deliveries.Count);
        List<IReadOnlyList<Increment>>? adds = null;
        foreach (var delivery in deliveries)
        {
            if (delivery is { Operation: ShardOperations.Add, Input: AddIncrements { Count: null, Sender: null, Sequence: null, IdempotencyKey: null } add })
            {
                adds ??= [];
                adds.Add(add.Increments);
                continue;
            }

            FlushAdds();
            coalesced.Add(delivery);
        }

        FlushAdds();
        return coalesced;

        void FlushAdds()
        {
            if (adds is not null)
            {
                coalesced.Add((ShardOperations.Add, new AddIncrements(adds.Count == 1 ? adds[0] : new ConcatenatedList<Increment>(adds))));
                adds = null;
            }
        }
    }
}
