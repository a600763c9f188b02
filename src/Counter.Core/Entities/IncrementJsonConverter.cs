using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>
/// An increment as the JSON object the Web defaults would write (<c>counter</c>, <c>delta</c>), without the generic
/// object converter's per-property metadata and write stack. Every increment of every stored signal and shard flush is
/// written through here, which made the generic path a fifth of the self-contained host's CPU under batched load
/// (bench/README.md), so <see cref="CounterJsonContext"/> registers it.
/// </summary>
public sealed class IncrementJsonConverter : JsonConverter<Increment>
{
    private static readonly CounterKeyJsonConverter Keys = new();

    public override Increment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An increment must be a JSON object.");
        }

        CounterKey? counter = null;
        long? delta = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("counter"u8))
            {
                reader.Read();
                counter = Keys.Read(ref reader, typeof(CounterKey), options);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                delta = reader.GetInt64();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return counter is null || delta is null
            ? throw new JsonException("An increment needs counter and delta.")
            : new Increment(counter.Value, delta.Value);
    }

    public override void Write(Utf8JsonWriter writer, Increment value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("counter"u8);
        Keys.Write(writer, value.Counter, options);
        writer.WriteNumber("delta"u8, value.Delta);
        writer.WriteEndObject();
    }
}
