using System.Globalization;

namespace Counter.Api;

/// <summary>
/// The per-address rate limit of the public routes (<c>RateLimits:PerAddress:…</c>): a token bucket per client
/// address, so that one abusive script cannot spend what every browser shares. Read once, at start.
/// </summary>
public sealed class PerAddressOptions
{
    public const string SectionName = "RateLimits:PerAddress";

    /// <summary>Tokens added to each address's bucket every <see cref="Period"/> (1–1,000,000): its sustained rate.</summary>
    public int TokensPerPeriod { get; set; } = 20;

    /// <summary>How often the tokens are added (0.01 s to 1 h).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The bucket's size (1–1,000,000): requests an address may send at once after a quiet while.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>
    /// Whether the default tenant's seed routes (<c>/increment</c>, <c>/increments</c>, <c>/counters</c>) are limited:
    /// off by default, as they are the service's own API for servers that count on behalf of many users.
    /// </summary>
    public bool SeedRoutes { get; set; }

    /// <summary>Whether the tenants' public routes are limited: on by default, as browsers call them directly.</summary>
    public bool TenantRoutes { get; set; } = true;

    public bool AppliesTo(EdgeRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Group != RouteGroup.Administration && (route.IsTenantRoute ? TenantRoutes : SeedRoutes);
    }

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TokensPerPeriod is < 1 or > 1_000_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(TokensPerPeriod)} must be from 1 to 1,000,000; it was {TokensPerPeriod}."));
        }

        if (Period < TimeSpan.FromMilliseconds(10) || Period > TimeSpan.FromHours(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(Period)} must be from 00:00:00.01 to 01:00:00; it was {Period}."));
        }

        if (Burst is < 1 or > 1_000_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(Burst)} must be from 1 to 1,000,000; it was {Burst}."));
        }

        return problems;
    }
}
