using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Counter.Api;

/// <summary>
/// What the edge refused, as <c>counter.edge.refusals</c> on the <c>Counter.Edge</c> meter, tagged with the route group
/// and the reason: <c>queue_full</c>, <c>queue_timeout</c> (503), <c>rate_limited</c> (429), <c>request_timeout</c> (504).
/// A rising count says a limit is reached, before clients complain; ASP.NET Core's own <c>aspnetcore.rate_limiting.*</c>
/// instruments add the queue lengths and waits.
/// </summary>
public sealed class EdgeMetrics
{
    public const string MeterName = "Counter.Edge";
    public const string QueueFull = "queue_full";
    public const string QueueTimeout = "queue_timeout";
    public const string RateLimited = "rate_limited";
    public const string RequestTimeout = "request_timeout";

    private readonly Counter<long> refusals;

    public EdgeMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        refusals = meters.Create(MeterName).CreateCounter<long>("counter.edge.refusals", "{request}", "Requests the edge protection refused, by route group and reason.");
    }

    public void Refused(string group, string reason) =>
        refusals.Add(1, new TagList { { "group", group }, { "reason", reason } });
}
