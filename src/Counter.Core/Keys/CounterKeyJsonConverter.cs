using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>Writes a key as its composite string, also as a dictionary key, so entity state stays compact JSON.</summary>
public sealed class CounterKeyJsonConverter : JsonConverter<CounterKey>
{
    /// <remarks>
    /// Keys are read back for every row of every snapshot in the embedded runtime's outbox, so the plain (unescaped)
    /// form is split in its UTF-8 bytes rather than read as a composite string first, and the default tenant is the
    /// one shared string rather than a new copy per key.
    /// </remarks>
    public override CounterKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw new JsonException("A counter key must be a string.");
        }

        var separator = reader.HasValueSequence || reader.ValueIsEscaped ? -1 : reader.ValueSpan.IndexOf((byte)CounterKey.Separator);
        if (separator < 0)
        {
            return CounterKey.Parse(reader.GetString()!);
        }

        var tenant = reader.ValueSpan[..separator];
        return CounterKey.Create(
            tenant.SequenceEqual("default"u8) ? CounterKey.DefaultTenant : Encoding.UTF8.GetString(tenant),
            Encoding.UTF8.GetString(reader.ValueSpan[(separator + 1)..]));
    }

    public override void Write(Utf8JsonWriter writer, CounterKey value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> composite = stackalloc char[value.CompositeLength];
        writer.WriteStringValue(Compose(value, composite));
    }

    public override CounterKey ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, CounterKey value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> composite = stackalloc char[value.CompositeLength];
        writer.WritePropertyName(Compose(value, composite));
    }

    // Keys are written for every counter of every stored state (shards' buffers, totals kept whole), so the composite
    // form is built on the stack instead of as a string each time; it is at most 64 + 1 + 256 characters.
    private static ReadOnlySpan<char> Compose(CounterKey value, Span<char> composite)
    {
        var tenant = value.Tenant.AsSpan();
        tenant.CopyTo(composite);
        composite[tenant.Length] = CounterKey.Separator;
        value.Name.AsSpan().CopyTo(composite[(tenant.Length + 1)..]);
        return composite;
    }
}
