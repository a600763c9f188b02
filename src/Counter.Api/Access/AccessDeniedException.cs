namespace Counter.Api;

/// <summary>A request without the key a route needs (401), or with a key that does not reach what it asks for (403).</summary>
internal sealed class AccessDeniedException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
