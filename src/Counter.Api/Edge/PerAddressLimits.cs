using System.Threading.RateLimiting;

namespace Counter.Api;

/// <summary>
/// The per-address token buckets, the same in every host: the ASP.NET Core hosts' global limiter and the Functions
/// app's worker middleware both take their partitions from here, one bucket per client address.
/// </summary>
public static class PerAddressLimits
{
    /// <summary>The partition of requests no per-address limit applies to (administration, or seed routes while off).</summary>
    public static readonly RateLimitPartition<string> Unlimited = RateLimitPartition.GetNoLimiter("-");

    /// <summary>
    /// The bucket of <paramref name="address"/>. No queue: a request past the bucket is refused at once (429), it does
    /// not wait. The partitioned limiter replenishes every bucket from one timer and drops the idle ones.
    /// </summary>
    public static RateLimitPartition<string> Of(string address, PerAddressOptions options) =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.TokensPerPeriod,
            ReplenishmentPeriod = options.Period,
            QueueLimit = 0,
            AutoReplenishment = false,
        });
}
