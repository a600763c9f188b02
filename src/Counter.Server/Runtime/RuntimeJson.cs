using System.Text.Json;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>States and inputs to and from JSON, by their runtime type, through the core's source-generated context.</summary>
internal static class RuntimeJson
{
    public static byte[] Serialize(object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), CounterJsonContext.Default);

    public static byte[]? SerializeInput(object? input) => input is null ? null : Serialize(input);

    public static object? Deserialize(byte[]? json, Type? type) => json is null || type is null
        ? null
        : JsonSerializer.Deserialize(json, type, CounterJsonContext.Default);

    /// <summary>
    /// A state as the store keeps it: whole as JSON, except the global state, whose totals are kept on their own
    /// (<see cref="GlobalStateEntries"/>) so that a batch writes only those it changed.
    /// </summary>
    public static (byte[] Json, IReadOnlyList<TotalEntry> ChangedTotals) ToStore(object state) => state is GlobalState global
        ? (JsonSerializer.SerializeToUtf8Bytes(global, GlobalStateEntries.Head), GlobalStateEntries.TakeChanged(global))
        : (Serialize(state), []);

    /// <summary>The state the store keeps for <paramref name="entity"/>, or a new one when it keeps none.</summary>
    public static object State(EntityAddress entity, StoredEntityState? stored)
    {
        var state = Deserialize(stored?.StateJson, EntityOperations.StateTypeOf(entity.Name)) ?? EntityOperations.NewState(entity.Name);
        return state is GlobalState global && stored is not null ? GlobalStateEntries.Restore(global, stored.Totals) : state;
    }
}
