using System.Globalization;
using System.Text.Json;
using Azure;

namespace Counter.Storage.Tables;

/// <summary>
/// Entities in the service's JSON: Int64 and DateTime travel as strings with a <c>Name@odata.type</c> annotation
/// (JSON numbers cannot hold every Int64); other types are plain JSON values.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Write(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static TableEntity Read(JsonElement json)
    {
        var properties = new Dictionary<string, object>(StringComparer.Ordinal);
        string? partitionKey = null, rowKey = null;
        var etag = default(ETag);
        foreach (var property in json.EnumerateObject())
        {
            switch (property.Name)
            {
                case "PartitionKey": partitionKey = property.Value.GetString(); break;
                case "RowKey": rowKey = property.Value.GetString(); break;
                case "odata.etag": etag = new ETag(property.Value.GetString()!); break;
                case "Timestamp": break;
                default:
                    if (!property.Name.StartsWith("odata.", StringComparison.Ordinal) && !property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal))
                    {
                        properties[property.Name] = ReadValue(json, property);
                    }

                    break;
            }
        }

        return new TableEntity(
            partitionKey ?? throw new InvalidDataException("An entity without PartitionKey was returned."),
            rowKey ?? throw new InvalidDataException("An entity without RowKey was returned."),
            properties) { ETag = etag };
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case long number:
                writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case DateTimeOffset time:
                writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case string text: writer.WriteString(name, text); break;
            case int number: writer.WriteNumber(name, number); break;
            case double number: writer.WriteNumber(name, number); break;
            case bool flag: writer.WriteBoolean(name, flag); break;
            default: throw new ArgumentException($"Property '{name}' has type {value.GetType().Name}, which this client does not store.", nameof(value));
        }
    }

    private static object ReadValue(JsonElement entity, JsonProperty property)
    {
        var type = entity.TryGetProperty(property.Name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
        return (type, property.Value.ValueKind) switch
        {
            ("Edm.Int64", _) => long.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture),
            ("Edm.DateTime", _) => DateTimeOffset.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            (_, JsonValueKind.String) => property.Value.GetString()!,
            (_, JsonValueKind.True or JsonValueKind.False) => property.Value.GetBoolean(),
            (_, JsonValueKind.Number) when property.Value.TryGetInt32(out var number) => number,
            (_, JsonValueKind.Number) => property.Value.GetDouble(),
            _ => property.Value.GetRawText(),
        };
    }
}
