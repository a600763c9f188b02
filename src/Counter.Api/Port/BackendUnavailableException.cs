namespace Counter.Api;

/// <summary>The backend cannot be reached now (e.g. its storage is down or not yet set up); nothing was accepted. 503.</summary>
public sealed class BackendUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>A sensible wait before trying again.</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);
}
