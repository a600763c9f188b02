using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>Writes a key as its composite string, also as a dictionary key, so entity state stays compact JSON.</summary>
public sealed class CounterKeyJsonConverter : JsonConverter<CounterKey>
{
    public override CounterKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CounterKey.Parse(reader.GetString() ?? throw new JsonException("A counter key must be a string."));

    public override void Write(Utf8JsonWriter writer, CounterKey value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    public override CounterKey ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, CounterKey value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.ToString());
}
