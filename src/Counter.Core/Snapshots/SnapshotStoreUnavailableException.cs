namespace Counter.Core;

/// <summary>The snapshot store cannot be reached now (a transient outage). Hosts answer reads with 503 and Retry-After.</summary>
public sealed class SnapshotStoreUnavailableException(string message, Exception innerException) : Exception(message, innerException)
{
    /// <summary>A sensible wait before reading again.</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);
}
