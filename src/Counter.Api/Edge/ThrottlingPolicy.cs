using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Counter.Api;

/// <summary>
/// A route group's rate limiting policy: one partition for the whole group, a <see cref="ConcurrencyLimiter"/> whose
/// queue serves the oldest request first (FIFO), bounded in length and, through <see cref="QueueTimeoutLimiter"/>, in
/// time. Its refusals are 503 problem details with <c>Retry-After</c>.
/// </summary>
internal sealed class ThrottlingPolicy : IRateLimiterPolicy<RouteGroup>
{
    private readonly RateLimitPartition<RouteGroup> partition;

    public ThrottlingPolicy(RouteGroup group, GroupThrottle limits, TimeProvider time, EdgeRefusals refusals)
    {
        var options = new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrent,
            QueueLimit = limits.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
        partition = RateLimitPartition.Get(group, _ => new QueueTimeoutLimiter(new ConcurrencyLimiter(options), limits.QueueTimeout, time));
        OnRejected = (context, _) => new ValueTask(refusals.ThrottledAsync(context.HttpContext, group, context.Lease));
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; }

    public RateLimitPartition<RouteGroup> GetPartition(HttpContext httpContext) => partition;
}
