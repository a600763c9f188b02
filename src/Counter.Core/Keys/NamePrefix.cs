using System.Text;

namespace Counter.Core;

/// <summary>
/// The start of the counter names a listing is narrowed to. The names that start with it are one range in name order,
/// from <see cref="Value"/> up to and not including <see cref="End"/>, so a store reads that range and nothing beyond it.
/// </summary>
public sealed record NamePrefix
{
    private NamePrefix(string value, string end)
    {
        Value = value;
        End = end;
    }

    public string Value { get; }

    /// <summary>
    /// <see cref="Value"/> with its last character replaced by the next code point: the first text after every name
    /// that starts with it, in code point order and in UTF-16 order alike. A prefix's characters are those of names,
    /// letters, marks, digits and a few punctuation marks, so the last one is never U+D7FF, U+FFFF or U+10FFFF, whose
    /// next code point would not be a character or would sort differently in UTF-16.
    /// </summary>
    public string End { get; }

    /// <summary>The prefix, or <see cref="InvalidCounterKeyException"/> when no counter's name could start with it.</summary>
    public static NamePrefix Create(string? value)
    {
        if (KeyRules.ExplainPrefix(value) is { } reason)
        {
            throw new InvalidCounterKeyException(KeyRules.PrefixField, value, reason);
        }

        var lastStart = char.IsLowSurrogate(value![^1]) ? value.Length - 2 : value.Length - 1;
        var last = Rune.GetRuneAt(value, lastStart);
        return new NamePrefix(value, string.Concat(value.AsSpan(0, lastStart), new Rune(last.Value + 1).ToString()));
    }
}
