using Microsoft.Extensions.Options;

namespace Counter.Server.Runtime;

/// <summary>Refuses to start with runtime options that cannot work, naming each option that is wrong.</summary>
internal sealed class RuntimeOptionsValidation : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        var problems = new List<string>();
        RequireRange(problems, nameof(RuntimeOptions.MaxPendingSignals), options.MaxPendingSignals, 1, 100_000_000);
        RequireRange(problems, nameof(RuntimeOptions.MaxSignalsPerCommit), options.MaxSignalsPerCommit, 1, 100_000);
        RequireRange(problems, nameof(RuntimeOptions.MaxOperationsPerBatch), options.MaxOperationsPerBatch, 1, 100_000);
        RequirePositive(problems, nameof(RuntimeOptions.OverloadRetryAfter), options.OverloadRetryAfter);
        RequirePositive(problems, nameof(RuntimeOptions.RetryMinDelay), options.RetryMinDelay);
        RequirePositive(problems, nameof(RuntimeOptions.RetryMaxDelay), options.RetryMaxDelay);
        if (options.RetryMaxDelay < options.RetryMinDelay)
        {
            problems.Add($"{RuntimeOptions.SectionName}:{nameof(RuntimeOptions.RetryMaxDelay)} must not be less than {nameof(RuntimeOptions.RetryMinDelay)}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void RequireRange(List<string> problems, string option, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{RuntimeOptions.SectionName}:{option} must be between {min} and {max}; it was {value}.");
        }
    }

    private static void RequirePositive(List<string> problems, string option, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{RuntimeOptions.SectionName}:{option} must be greater than 00:00:00; it was {value}.");
        }
    }
}
