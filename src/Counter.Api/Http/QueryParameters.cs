using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>Reads the contract's query and route parameters, refusing anything that is not exactly one well-formed value.</summary>
internal static class QueryParameters
{
    public static long OptionalInt64(HttpRequest request, string name, long defaultValue)
    {
        var text = OptionalSingle(request, name);
        if (text is null)
        {
            return defaultValue;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RequestValidationException(name, $"'{name}' must be an integer between {long.MinValue} and {long.MaxValue}; it was '{text}'.");
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>), or null when absent.</summary>
    public static int? OptionalInt32(HttpRequest request, string name, int min, int maxExclusive)
    {
        var text = OptionalSingle(request, name);
        return text is null ? null : Int32InRange(name, text, min, maxExclusive);
    }

    public static string? OptionalString(HttpRequest request, string name) => OptionalSingle(request, name);

    public static int Int32InRange(string name, string text, int min, int maxExclusive)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new RequestValidationException(name, $"'{name}' must be an integer from {min} to {maxExclusive - 1}; it was '{text}'.");
        }

        return value >= min && value < maxExclusive
            ? value
            : throw new RequestValidationException(name, $"'{name}' must be from {min} to {maxExclusive - 1}; it was {value}.");
    }

    private static string? OptionalSingle(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new RequestValidationException(name, $"'{name}' may be given once; it was given {values.Count} times."),
        };
    }
}
