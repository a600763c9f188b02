using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>
/// The rate limiting middleware's global limiter: the per-address buckets (<see cref="PerAddressLimits"/>) for the
/// routes <see cref="PerAddressOptions.AppliesTo"/>, keyed by the client address; every other request gets an
/// acquired lease at once, without the partition lookup and lock a "no limiter" partition would cost, so that routes
/// without a per-address limit (the seed routes by default) pay nothing for it.
/// </summary>
internal sealed class PerAddressGlobalLimiter(PerAddressOptions options) : PartitionedRateLimiter<HttpContext>
{
    private readonly PartitionedRateLimiter<string> buckets = PerAddressLimits.Create(options);

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) =>
        AddressOf(resource) is { } address ? buckets.GetStatistics(address) : null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        AddressOf(resource) is { } address ? buckets.AttemptAcquire(address, permitCount) : UnlimitedLease.Instance;

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        AddressOf(resource) is { } address ? buckets.AcquireAsync(address, permitCount, cancellationToken) : new(UnlimitedLease.Instance);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            buckets.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => buckets.DisposeAsync();

    /// <summary>The client's address when the request's route is limited per address, else null.</summary>
    private string? AddressOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EdgeRoute>() is { } route && options.AppliesTo(route)
            ? context.Connection.RemoteIpAddress?.ToString() ?? "unknown"
            : null;

    private sealed class UnlimitedLease : RateLimitLease
    {
        public static readonly UnlimitedLease Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
