using System.Text.Json;
using Counter.Core;

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

    public static object State(EntityAddress entity, byte[]? json) =>
        Deserialize(json, EntityOperations.StateTypeOf(entity.Name)) ?? EntityOperations.NewState(entity.Name);
}
