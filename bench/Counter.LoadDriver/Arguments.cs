using System.Globalization;

namespace Counter.LoadDriver;

/// <summary>Options given as <c>--name value</c> pairs after the command.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> arguments)
    {
        using var enumerator = arguments.GetEnumerator();
        while (enumerator.MoveNext())
        {
            var name = enumerator.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !enumerator.MoveNext())
            {
                throw new ArgumentException($"Expected '--name value', got '{name}'.");
            }

            values[name[2..]] = enumerator.Current;
        }
    }

    public string Text(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public long Number(string name, long defaultValue) =>
        values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : defaultValue;

    public long? OptionalNumber(string name) =>
        values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : null;
}
