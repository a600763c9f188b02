using System.Buffers;
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

    /// <remarks>Written as raw UTF-8 in one piece (<see cref="RawKeyJson"/>), into a pooled buffer that grows when a key needs it.</remarks>
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Increment> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var buffer = ArrayPool<byte>.Shared.Rent((value.Count * 32) + 2);
        try
        {
            var length = 0;
            buffer[length++] = (byte)'{';
            for (var index = 0; index < value.Count; index++)
            {
                var (counter, delta) = value[index];
                // A comma, the key, a colon, the delta and the closing brace.
                var needed = length + RawKeyJson.MaxBytes(counter) + 3;
                if (needed > buffer.Length)
                {
                    buffer = Grow(buffer, length, needed);
                }

                if (index > 0)
                {
                    buffer[length++] = (byte)',';
                }

                length += RawKeyJson.WriteKey(counter, buffer.AsSpan(length));
                buffer[length++] = (byte)':';
                length += RawKeyJson.WriteInt64(delta, buffer.AsSpan(length));
            }

            buffer[length++] = (byte)'}';
            writer.WriteRawValue(buffer.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int length, int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
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
