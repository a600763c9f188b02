using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>Options that know their own problems (a <c>Validate()</c> returning sentences), checked on start by either host.</summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Refuses to start while <paramref name="problemsOf"/> finds any problem in the bound options. Binding stays with
    /// the caller (<c>AddOptions&lt;T&gt;().Bind(section)</c>), where the type is known at compile time, so that the
    /// configuration binding generator writes the binding code and no reflection is needed (Native AOT).
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateProblemsOnStart<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this OptionsBuilder<TOptions> builder, Func<TOptions, IReadOnlyList<string>> problemsOf)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ProblemsValidation<TOptions>(problemsOf));
        return builder.ValidateOnStart();
    }

    private sealed class ProblemsValidation<TOptions>(Func<TOptions, IReadOnlyList<string>> problemsOf) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            problemsOf(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
