namespace Counter.Core;

/// <summary>The tenant store cannot be reached now (a transient outage). Hosts answer with 503 and Retry-After.</summary>
public sealed class TenantStoreUnavailableException(string message, Exception innerException) : Exception(message, innerException)
{
    /// <summary>A sensible wait before trying again.</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);
}
