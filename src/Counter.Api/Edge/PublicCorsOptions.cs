using System.Globalization;

namespace Counter.Api;

/// <summary>
/// Browser calls to the public routes (<c>Cors:…</c>): the default tenant's allowed origins and how long a browser may
/// keep a preflight's answer. A tenant's own origins are set with the tenant (<c>PUT /tenants/{tenant}/settings/cors</c>).
/// </summary>
public sealed class PublicCorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Origins allowed to call the default tenant's seed routes from a browser; none by default.</summary>
    public IList<string> DefaultTenantOrigins { get; } = [];

    /// <summary>
    /// <c>Access-Control-Max-Age</c> of a preflight's answer (0 to 1 day): a browser asks once per origin and route in
    /// that time instead of before every increment. Browsers cap it (Chromium at 2 h).
    /// </summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (BrowserOrigins.Explain([.. DefaultTenantOrigins]) is { } reason)
        {
            problems.Add($"{SectionName}:{nameof(DefaultTenantOrigins)} {reason}.");
        }

        if (PreflightMaxAge < TimeSpan.Zero || PreflightMaxAge > TimeSpan.FromDays(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(PreflightMaxAge)} must be from 00:00:00 to 1.00:00:00; it was {PreflightMaxAge}."));
        }

        return problems;
    }
}
