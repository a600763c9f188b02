using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>Checks <see cref="AdminOptions"/> on start, knowing the environment: the development key passes only in Development.</summary>
internal sealed class AdminOptionsValidation(IHostEnvironment environment) : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options) =>
        options.Validate(environment.IsDevelopment()) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
