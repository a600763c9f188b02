using Counter.Core;

namespace Counter.Durable.Entities;

/// <summary>The entity class behind each entity name the core addresses, for a host that dispatches by name.</summary>
public static class DurableEntities
{
    /// <summary>The class of entity <paramref name="name"/> (matched case-insensitively, as Durable Entities lower-cases names), or null.</summary>
    public static Type? TypeOf(string name) =>
        string.Equals(name, EntityAddress.ShardName, StringComparison.OrdinalIgnoreCase) ? typeof(ShardEntity)
        : string.Equals(name, EntityAddress.GlobalName, StringComparison.OrdinalIgnoreCase) ? typeof(GlobalEntity)
        : null;
}
