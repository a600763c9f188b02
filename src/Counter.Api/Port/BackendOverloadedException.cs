namespace Counter.Api;

/// <summary>The host refuses work it cannot absorb now; the HTTP contract answers 503 with Retry-After.</summary>
public sealed class BackendOverloadedException(TimeSpan retryAfter, string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
