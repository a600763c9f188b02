using System.Globalization;

namespace Counter.LoadDriver;

/// <summary>Options given as <c>--name value</c> pairs after the command, then, after a lone <c>--</c>, arguments passed on as they are.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly List<string> passedOn = [];

    public Arguments(IEnumerable<string> arguments)
    {
        using var enumerator = arguments.GetEnumerator();
        while (enumerator.MoveNext())
        {
            var name = enumerator.Current;
            if (name == "--")
            {
                while (enumerator.MoveNext())
                {
                    passedOn.Add(enumerator.Current);
                }

                break;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || !enumerator.MoveNext())
            {
                throw new ArgumentException($"Expected '--name value', got '{name}'.");
            }

            values[name[2..]] = enumerator.Current;
        }
    }

    public IReadOnlyList<string> PassedOn => passedOn;

    public string? OptionalText(string name) => values.GetValueOrDefault(name);

    public string Text(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public long Number(string name, long defaultValue) =>
        values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : defaultValue;

    public long? OptionalNumber(string name) =>
        values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : null;
}
