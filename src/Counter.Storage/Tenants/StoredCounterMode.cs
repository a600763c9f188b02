using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// A counter record's mode as both tenant stores keep it: its name, so that a row reads the same whatever the enum's
/// order becomes. A row written before counters had modes has none and reads as <see cref="CounterMode.Sharded"/>.
/// </summary>
internal static class StoredCounterMode
{
    public const string Sharded = nameof(CounterMode.Sharded);
    public const string Strict = nameof(CounterMode.Strict);

    public static string Text(CounterMode mode) => mode switch
    {
        CounterMode.Sharded => Sharded,
        CounterMode.Strict => Strict,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a counter mode."),
    };

    public static CounterMode Parse(string? text) => text switch
    {
        null or Sharded => CounterMode.Sharded,
        Strict => CounterMode.Strict,
        _ => throw new InvalidDataException($"'{text}' is not a counter mode."),
    };
}
