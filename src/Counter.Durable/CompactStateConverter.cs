using Microsoft.DurableTask;

namespace Counter.Durable;

/// <summary><paramref name="json"/>, with the global entities' states stored as <see cref="CompactGlobalState"/> says.</summary>
public sealed class CompactStateConverter(DataConverter json) : DataConverter
{
    public override string? Serialize(object? value) =>
        json.Serialize(value) is { } text ? CompactGlobalState.Store(value, text) : null;

    public override object? Deserialize(string? data, Type targetType) =>
        json.Deserialize(data is null ? null : CompactGlobalState.Load(data), targetType);
}
