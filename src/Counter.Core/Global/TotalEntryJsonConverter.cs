using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>
/// A total entry as the array <c>["default/a",5,0]</c> (counter, total, snapshot version it waits for), or
/// <c>["blog/a",0,0,1]</c> for a removed counter, written raw
/// (<see cref="RawKeyJson"/>). The embedded runtime stores an entry for every counter a global batch changed, so entries
/// were the bulk of what it wrote under load: as objects of named properties they were twice the bytes. Entries
/// stored by earlier versions, as such objects, still read. <see cref="CounterJsonContext"/> registers it.
/// </summary>
public sealed class TotalEntryJsonConverter : JsonConverter<TotalEntry>
{
    private static readonly CounterKeyJsonConverter Keys = new();

    public override TotalEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.StartArray => ReadArray(ref reader, options),
        JsonTokenType.StartObject => ReadEarlierForm(ref reader, options),
        _ => throw new JsonException("A total entry must be a JSON array of counter, total and snapshot version."),
    };

    public override void Write(Utf8JsonWriter writer, TotalEntry value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // Brackets, three commas, two numbers and the removal flag beyond the key and its number.
        Span<byte> buffer = stackalloc byte[RawKeyJson.MaxBytes(value.Counter) + 26];
        var length = 0;
        buffer[length++] = (byte)'[';
        length += RawKeyJson.WriteKey(value.Counter, buffer[length..]);
        buffer[length++] = (byte)',';
        length += RawKeyJson.WriteInt64(value.Total, buffer[length..]);
        buffer[length++] = (byte)',';
        length += RawKeyJson.WriteInt64(value.DirtyForVersion, buffer[length..]);
        if (value.Removed)
        {
            buffer[length++] = (byte)',';
            buffer[length++] = (byte)'1';
        }

        buffer[length++] = (byte)']';
        writer.WriteRawValue(buffer[..length], skipInputValidation: true);
    }

    private static TotalEntry ReadArray(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        reader.Read();
        var counter = Keys.Read(ref reader, typeof(CounterKey), options);
        reader.Read();
        var total = reader.GetInt64();
        reader.Read();
        var dirtyForVersion = reader.GetInt64();
        var removed = false;
        if (reader.Read() && reader.TokenType == JsonTokenType.Number)
        {
            removed = reader.TryGetInt32(out var flag) && flag == 1
                ? true
                : throw new JsonException("The fourth element of a total entry, when present, is 1: the counter was removed.");
            reader.Read();
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("A total entry has three elements (counter, total, snapshot version) and a fourth, 1, when the counter was removed.");
        }

        return new TotalEntry(counter, total, dirtyForVersion, removed);
    }

    /// <summary>One <c>{"counter":…,"total":…,"dirtyForVersion":…}</c> object, as entries were stored before, properties in any order.</summary>
    private static TotalEntry ReadEarlierForm(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        CounterKey? counter = null;
        long? total = null;
        long dirtyForVersion = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("counter"u8))
            {
                reader.Read();
                counter = Keys.Read(ref reader, typeof(CounterKey), options);
            }
            else if (reader.ValueTextEquals("total"u8))
            {
                reader.Read();
                total = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("dirtyForVersion"u8))
            {
                reader.Read();
                dirtyForVersion = reader.GetInt64();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return counter is null || total is null
            ? throw new JsonException("A total entry needs counter and total.")
            : new TotalEntry(counter.Value, total.Value, dirtyForVersion);
    }
}
