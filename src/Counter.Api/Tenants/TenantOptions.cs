using System.Globalization;

namespace Counter.Api;

/// <summary>How a process keeps the tenant directory in memory, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class TenantOptions
{
    public const string SectionName = "Tenants";

    /// <summary>
    /// <c>Tenants:RefreshInterval</c>: how often the tenants and key hashes are read again from the store, and how long a
    /// counter's existence is remembered. A process sees what it changes itself at once; in a deployment of several
    /// processes, a key issued or revoked, or a counter created or deleted, on one of them reaches the others within it.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Tenants:CounterCacheSize</c>: how many counters' existence a process remembers at most.</summary>
    public int CounterCacheSize { get; set; } = 100_000;

    /// <summary>
    /// <c>Tenants:StrictMirrorInterval</c>: how long strict counters' changes gather before they are copied to the read
    /// path (what <c>GET /tenants/{tenant}</c> lists) in one write, each counter's latest value once; 0 copies them as
    /// soon as the write before is done. The exact read of a counter never waits for it.
    /// </summary>
    public TimeSpan StrictMirrorInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromHours(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(RefreshInterval)} must be from 00:00:00.1 to 01:00:00; it was {RefreshInterval}."));
        }

        if (CounterCacheSize is < 1 or > 10_000_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(CounterCacheSize)} must be from 1 to 10,000,000; it was {CounterCacheSize}."));
        }

        if (StrictMirrorInterval < TimeSpan.Zero || StrictMirrorInterval > TimeSpan.FromSeconds(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(StrictMirrorInterval)} must be from 00:00:00 to 00:00:01; it was {StrictMirrorInterval}."));
        }

        return problems;
    }
}
