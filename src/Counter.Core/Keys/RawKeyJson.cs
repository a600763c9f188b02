using System.Globalization;
using System.Text;

namespace Counter.Core;

/// <summary>
/// Keys and numbers written as raw UTF-8 JSON. A key holds only letters, marks, digits and punctuation that JSON never
/// has to escape (<see cref="KeyRules"/>), so its string needs no escaping check, which for the lists of increments
/// and totals the runtime stores for every batch was most of the cost of writing them.
/// </summary>
internal static class RawKeyJson
{
    /// <summary>The most bytes <see cref="WriteKey"/> needs for <paramref name="key"/> (three per UTF-16 character, two quotes) and a following <see cref="WriteInt64"/> (20).</summary>
    public static int MaxBytes(CounterKey key) => (key.CompositeLength * 3) + 2 + 20;

    /// <summary>Writes <c>"tenant/name"</c> at the start of <paramref name="buffer"/>; returns the bytes written.</summary>
    public static int WriteKey(CounterKey key, Span<byte> buffer)
    {
        var length = 0;
        buffer[length++] = (byte)'"';
        length += Encoding.UTF8.GetBytes(key.Tenant, buffer[length..]);
        buffer[length++] = (byte)CounterKey.Separator;
        length += Encoding.UTF8.GetBytes(key.Name, buffer[length..]);
        buffer[length++] = (byte)'"';
        return length;
    }

    public static int WriteInt64(long value, Span<byte> buffer)
    {
        value.TryFormat(buffer, out var written, provider: CultureInfo.InvariantCulture);
        return written;
    }
}
