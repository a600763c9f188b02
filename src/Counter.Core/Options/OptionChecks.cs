namespace Counter.Core;

/// <summary>Checks that options of both hosts share, each adding a sentence that names the setting as configured (<c>Section:Option</c>).</summary>
public static class OptionChecks
{
    public static void RequireRange(List<string> problems, string section, string option, int value, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (value < min || value > max)
        {
            problems.Add($"{section}:{option} must be between {min} and {max}; it was {value}.");
        }
    }

    /// <summary>A duration greater than zero and, when <paramref name="max"/> is given, at most that.</summary>
    public static void RequirePositive(List<string> problems, string section, string option, TimeSpan value, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (value <= TimeSpan.Zero || value > max)
        {
            problems.Add(max is null
                ? $"{section}:{option} must be greater than 00:00:00; it was {value}."
                : $"{section}:{option} must be greater than 00:00:00 and at most {max}; it was {value}.");
        }
    }
}
