using System.Globalization;

namespace Counter.Api;

/// <summary>
/// The concurrency limits, queues and request timeouts of the three route groups, bound from <see cref="SectionName"/>.
/// Read once, at start: the limiters are built from them.
/// </summary>
public sealed class ThrottlingOptions
{
    public const string SectionName = "Throttling";

    /// <summary>
    /// <c>Throttling:Enabled</c>: false takes the concurrency limits, queues and per-address limits out of the pipeline
    /// (request timeouts stay), for a host behind a gateway that already does this, and to measure what they cost.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Throttling:RetryAfter</c>: the <c>Retry-After</c> of a 503 for a full queue or a wait past its timeout (1 s to 1 h).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Far above what the benchmark's 64 connections need, so that a healthy host never queues; the queue absorbs a burst
    /// of a few thousand browsers, and 5 s is about as long as a page waits for a like to count before it gives up.
    /// </summary>
    public GroupThrottle PublicIncrements { get; set; } = GroupThrottle.Of(512, 4096, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

    public GroupThrottle PublicReads { get; set; } = GroupThrottle.Of(512, 4096, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

    /// <summary>Few operators, heavy requests (deleting a tenant removes all its rows): few at once, a minute each.</summary>
    public GroupThrottle Administration { get; set; } = GroupThrottle.Of(16, 64, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

    public GroupThrottle For(RouteGroup group) => group switch
    {
        RouteGroup.PublicIncrements => PublicIncrements,
        RouteGroup.PublicReads => PublicReads,
        _ => Administration,
    };

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RetryAfter < TimeSpan.FromSeconds(1) || RetryAfter > TimeSpan.FromHours(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(RetryAfter)} must be from 00:00:01 to 01:00:00; it was {RetryAfter}."));
        }

        foreach (var group in Enum.GetValues<RouteGroup>())
        {
            For(group).Check($"{SectionName}:{EdgeRoute.NameOf(group)}", problems);
        }

        return problems;
    }
}
