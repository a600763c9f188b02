using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Counter.Api;

/// <summary>
/// A route group's rate limiting policy: one partition for the whole group, a <see cref="ConcurrencyLimiter"/> whose
/// queue serves the oldest request first (FIFO), bounded in length and, through <see cref="QueueTimeoutLimiter"/>, in
/// time. Its refusals are 503 problem details with <c>Retry-After</c>. The partition key is the group's name, a
/// string: the middleware keeps keys as objects, and an enum key would be boxed on every request.
/// </summary>
internal sealed class ThrottlingPolicy : IRateLimiterPolicy<string>
{
    private readonly RateLimitPartition<string> partition;

    public ThrottlingPolicy(RouteGroup group, GroupThrottle limits, TimeProvider time, EdgeRefusals refusals)
    {
        var options = new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrent,
            QueueLimit = limits.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        partition = RateLimitPartition.Get(EdgeRoute.NameOf(group), _ => new QueueTimeoutLimiter(new ConcurrencyLimiter(options), limits.QueueTimeout, time));
        OnRejected = (context, _) => new ValueTask(refusals.ThrottledAsync(context.HttpContext, group, context.Lease));
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; }

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => partition;
}
