using System.Text.Json;

namespace Counter.Durable.Tests;

/// <summary>
/// Entity state and operation inputs as the isolated worker serializes them by default (System.Text.Json, reflection,
/// case-insensitive names), so the tests also prove the core's types survive that round trip.
/// </summary>
internal static class WorkerJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static object? Deserialize(string? json, Type type) => json is null ? null : JsonSerializer.Deserialize(json, type, Options);
}
