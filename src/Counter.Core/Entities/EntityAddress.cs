using System.Globalization;

namespace Counter.Core;

/// <summary>An entity instance: its kind (<see cref="Name"/>) and which one (<see cref="Key"/>), as Durable Entities address them.</summary>
public readonly record struct EntityAddress(string Name, string Key)
{
    public const string ShardName = "shard";
    public const string GlobalName = "global";

    public static EntityAddress Global { get; } = new(GlobalName, "default");

    public static EntityAddress Shard(int index) => new(ShardName, index.ToString(CultureInfo.InvariantCulture));

    public override string ToString() => $"{Name}/{Key}";
}
