using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>
/// A list of increments as one JSON object of counters to deltas, <c>{"default/a":1,"default/b":-2}</c>, in order.
/// Every increment of every stored signal and shard flush is written through here: as an object per increment, with
/// the generic converters, it was a fifth of the self-contained host's CPU under batched load and twice the bytes
/// (bench/README.md). Lists written before, as arrays of <c>{"counter","delta"}</c> objects, still read.
/// <see cref="CounterJsonContext"/> registers it; reflection with default options (Durable Functions) does not use it.
/// </summary>
public sealed class IncrementListJsonConverter : JsonConverter<IReadOnlyList<Increment>>
{
    private static readonly CounterKeyJsonConverter Keys = new();

    public override IReadOnlyList<Increment> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var increments = new List<Increment>();
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var counter = Keys.ReadAsPropertyName(ref reader, typeof(CounterKey), options);
                    reader.Read();
                    increments.Add(new Increment(counter, reader.GetInt64()));
                }

                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    increments.Add(ReadEarlierForm(ref reader, options));
                }

                break;
            default:
                throw new JsonException("Increments must be a JSON object of counters to deltas.");
        }

        return increments;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Increment> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        for (var index = 0; index < value.Count; index++)
        {
            Keys.WriteAsPropertyName(writer, value[index].Counter, options);
            writer.WriteNumberValue(value[index].Delta);
        }

        writer.WriteEndObject();
    }

    /// <summary>One <c>{"counter":…,"delta":…}</c> object, as increments were stored before, properties in any order.</summary>
    private static Increment ReadEarlierForm(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
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
}
