using Counter.Core;
using Counter.Durable.Entities;
using Microsoft.Azure.Functions.Worker;

namespace Counter.Functions.Entities;

/// <summary>The entity triggers: the Functions runtime delivers each batch of operations to the shared entity classes.</summary>
public static class EntityFunctions
{
    [Function(EntityAddress.ShardName)]
    public static Task ShardAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<ShardEntity>();
    }

    [Function(EntityAddress.GlobalName)]
    public static Task GlobalAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<GlobalEntity>();
    }
}
