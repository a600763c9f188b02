using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// Every answer of the edge protection is RFC 9457 problem details, as every other refusal of the contract: 503 with
/// <c>Retry-After</c> for a full queue or a wait past <c>QueueTimeout</c>, 429 with <c>Retry-After</c> for an address
/// past its bucket, 504 for a request past its timeout. Each is counted in <see cref="EdgeMetrics"/>.
/// </summary>
public sealed class EdgeRefusals(EdgeMetrics metrics, IOptions<ThrottlingOptions> throttling)
{
    private readonly TimeSpan retryAfter = throttling.Value.RetryAfter;

    /// <summary>The group's queue was full, or the request waited in it longer than the group's QueueTimeout: 503.</summary>
    public Task ThrottledAsync(HttpContext context, RouteGroup group, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(context);
        var timedOut = lease is QueueTimedOutLease;
        metrics.Refused(EdgeRoute.NameOf(group), timedOut ? EdgeMetrics.QueueTimeout : EdgeMetrics.QueueFull);
        var detail = timedOut
            ? "The request waited for its turn longer than the service allows; retry later."
            : "Too many requests are waiting already; retry later.";
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The service is busy; retry later.", detail, retryAfter);
    }

    /// <summary>The client's address spent its bucket: 429, to retry once a token is back.</summary>
    public Task RateLimitedAsync(HttpContext context, string group, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        metrics.Refused(group, EdgeMetrics.RateLimited);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests from this address.", "This address sent more requests than the service takes from one client; retry later.", wait);
    }

    /// <summary>The request ran past its group's RequestTimeout and was cancelled: 504.</summary>
    public Task TimedOutAsync(HttpContext context, RouteGroup group)
    {
        metrics.Refused(EdgeRoute.NameOf(group), EdgeMetrics.RequestTimeout);
        return WriteAsync(context, StatusCodes.Status504GatewayTimeout, "The request took too long.", "The request ran longer than the service allows and was cancelled; it may or may not have taken effect.", null);
    }

    private static Task WriteAsync(HttpContext context, int status, string title, string detail, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);
    }
}
