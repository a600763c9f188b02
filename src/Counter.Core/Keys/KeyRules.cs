using System.Buffers;
using System.Globalization;
using System.Text;

namespace Counter.Core;

/// <summary>
/// What a tenant or counter name may contain: letters, marks and digits of any script, and <c>- _ . : ' @ ~ +</c>.
/// Everything else is refused, notably <c>/ \ # ?</c> and control characters, which Table Storage forbids in keys
/// and which cannot travel as one URL path segment.
/// </summary>
public static class KeyRules
{
    public const int MaxNameLength = 256;
    public const int MaxTenantLength = 64;
    public const string CounterField = "counter";
    public const string TenantField = "tenant";
    public const string PrefixField = "prefix";
    public const string AllowedPunctuation = "-_.:'@~+";

    private static readonly SearchValues<char> AllowedAscii =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + AllowedPunctuation);

    /// <summary>Returns why <paramref name="value"/> is not a valid key part, or null when it is.</summary>
    public static string? Explain(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters long";
        }

        if (value is "." or "..")
        {
            return "must not be '.' or '..'";
        }

        return ExplainCharacters(value);
    }

    /// <summary>Returns why no name can start with <paramref name="value"/>, or null when names can.</summary>
    public static string? ExplainPrefix(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        return value.Length > MaxNameLength ? $"must be at most {MaxNameLength} characters long" : ExplainCharacters(value);
    }

    private static string? ExplainCharacters(string value)
    {
        // Nearly every key is plain ASCII: checked in one vectorized pass, the rune-by-rune walk only explains refusals
        // and judges other scripts.
        if (!value.AsSpan().ContainsAnyExcept(AllowedAscii))
        {
            return null;
        }

        var index = 0;
        while (index < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var consumed) != OperationStatus.Done)
            {
                return $"has an invalid UTF-16 sequence at position {index}";
            }

            if (!IsAllowed(rune))
            {
                return $"must contain only letters, digits and {AllowedPunctuation}; found U+{rune.Value:X4} at position {index}";
            }

            index += consumed;
        }

        return null;
    }

    internal static void ThrowIfInvalid(string field, string? value, int maxLength)
    {
        if (Explain(value, maxLength) is { } reason)
        {
            throw new InvalidCounterKeyException(field, value, reason);
        }
    }

    private static bool IsAllowed(Rune rune)
    {
        if (rune.IsAscii && AllowedPunctuation.Contains((char)rune.Value, StringComparison.Ordinal))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            // Marks are part of how many scripts write letters (Devanagari vowel signs, decomposed accents).
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }
}
