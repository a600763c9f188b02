using System.Globalization;

namespace Counter.Core;

/// <summary>An entity instance: its kind (<see cref="Name"/>) and which one (<see cref="Key"/>), as Durable Entities address them.</summary>
public readonly record struct EntityAddress(string Name, string Key)
{
    public const string ShardName = "shard";
    public const string GlobalName = "global";

    public static EntityAddress Global { get; } = new(GlobalName, "default");

    public static EntityAddress Shard(int index) => new(ShardName, index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The index in a shard's key, as <see cref="Shard"/> writes it; null for a key that is not one.</summary>
    public static int? ShardIndex(string key) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    public override string ToString() => $"{Name}/{Key}";
}
