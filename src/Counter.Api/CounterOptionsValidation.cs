using Counter.Core;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>Fails start-up with every problem <see cref="CounterOptions.Validate"/> finds.</summary>
internal sealed class CounterOptionsValidation : IValidateOptions<CounterOptions>
{
    public ValidateOptionsResult Validate(string? name, CounterOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
