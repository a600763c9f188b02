using System.Threading.RateLimiting;

namespace Counter.Api;

/// <summary>
/// The per-address token buckets, the same in every host: the ASP.NET Core hosts' global limiter
/// (<see cref="PerAddressGlobalLimiter"/>) and the Functions app's worker middleware both take them from here.
/// </summary>
public static class PerAddressLimits
{
    /// <summary>
    /// One bucket per address. No queue: a request past its bucket is refused at once (429), it does not wait. The
    /// partitioned limiter replenishes every bucket from one timer and drops the buckets of idle addresses.
    /// </summary>
    public static PartitionedRateLimiter<string> Create(PerAddressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.TokensPerPeriod,
            ReplenishmentPeriod = options.Period,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        return PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
    }
}
