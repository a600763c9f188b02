using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>
/// A snapshot row as the JSON object the Web defaults would write (<c>counter</c>, <c>value</c>, <c>version</c>,
/// <c>updatedAt</c>), read without System.Text.Json's path for constructor parameters, which allocates an argument
/// state and boxes every value for each row. The embedded runtime reads every snapshot back from its outbox, up to a
/// million rows for a million increments over cold counters, so it registers this in <see cref="CounterJsonContext"/>.
/// </summary>
public sealed class SnapshotRowJsonConverter : JsonConverter<SnapshotRow>
{
    private static readonly CounterKeyJsonConverter Keys = new();

    public override SnapshotRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A snapshot row must be a JSON object.");
        }

        CounterKey? counter = null;
        long? value = null;
        long? version = null;
        DateTimeOffset? updatedAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("counter"u8))
            {
                reader.Read();
                counter = Keys.Read(ref reader, typeof(CounterKey), options);
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                value = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                reader.Read();
                version = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("updatedAt"u8))
            {
                reader.Read();
                updatedAt = reader.GetDateTimeOffset();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return counter is null || value is null || version is null || updatedAt is null
            ? throw new JsonException("A snapshot row needs counter, value, version and updatedAt.")
            : new SnapshotRow(counter.Value, value.Value, version.Value, updatedAt.Value);
    }

    public override void Write(Utf8JsonWriter writer, SnapshotRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WritePropertyName("counter"u8);
        Keys.Write(writer, value.Counter, options);
        writer.WriteNumber("value"u8, value.Value);
        writer.WriteNumber("version"u8, value.Version);
        writer.WriteString("updatedAt"u8, value.UpdatedAt);
        writer.WriteEndObject();
    }
}
