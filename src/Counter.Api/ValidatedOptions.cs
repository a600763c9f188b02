using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>Options that know their own problems (a <c>Validate()</c> returning sentences), bound and checked on start by either host.</summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and refuses to start while <paramref name="problemsOf"/> finds any.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(
        this IServiceCollection services, IConfigurationSection section, Func<TOptions, IReadOnlyList<string>> problemsOf)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new ProblemsValidation<TOptions>(problemsOf));
        return services;
    }

    private sealed class ProblemsValidation<TOptions>(Func<TOptions, IReadOnlyList<string>> problemsOf) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            problemsOf(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
