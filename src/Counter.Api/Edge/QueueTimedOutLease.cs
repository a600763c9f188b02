using System.Threading.RateLimiting;

namespace Counter.Api;

/// <summary>The lease of a request that waited in its group's queue past <see cref="GroupThrottle.QueueTimeout"/>: not acquired.</summary>
internal sealed class QueueTimedOutLease : RateLimitLease
{
    public static readonly QueueTimedOutLease Instance = new();

    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => [MetadataName.ReasonPhrase.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName == MetadataName.ReasonPhrase.Name ? "Queue timeout" : null;
        return metadata is not null;
    }
}
