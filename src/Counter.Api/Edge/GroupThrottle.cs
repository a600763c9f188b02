using System.Globalization;

namespace Counter.Api;

/// <summary>
/// One route group's limits (<c>Throttling:{Group}:…</c>): at most <see cref="MaxConcurrent"/> of its requests run at
/// once, the next <see cref="QueueLimit"/> wait in arrival order for at most <see cref="QueueTimeout"/>, and one that
/// runs longer than <see cref="RequestTimeout"/> is cancelled. A slow store then costs a bounded queue and a quick 503,
/// not a pile of requests that each wait forever.
/// </summary>
public sealed class GroupThrottle
{
    /// <summary>Requests of the group that run at once (1–100,000).</summary>
    public int MaxConcurrent { get; set; }

    /// <summary>Requests that wait for a place, oldest first (0–1,000,000); one more is refused at once with 503.</summary>
    public int QueueLimit { get; set; }

    /// <summary>The longest a request waits in the queue before it is refused with 503 (0.001 s to 10 min).</summary>
    public TimeSpan QueueTimeout { get; set; }

    /// <summary>The longest a request runs once out of the queue; past it the request is cancelled and answered 504 (0.001 s to 1 h).</summary>
    public TimeSpan RequestTimeout { get; set; }

    internal static GroupThrottle Of(int maxConcurrent, int queueLimit, TimeSpan queueTimeout, TimeSpan requestTimeout) =>
        new() { MaxConcurrent = maxConcurrent, QueueLimit = queueLimit, QueueTimeout = queueTimeout, RequestTimeout = requestTimeout };

    internal void Check(string prefix, List<string> problems)
    {
        if (MaxConcurrent is < 1 or > 100_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{nameof(MaxConcurrent)} must be from 1 to 100,000; it was {MaxConcurrent}."));
        }

        if (QueueLimit is < 0 or > 1_000_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{nameof(QueueLimit)} must be from 0 to 1,000,000; it was {QueueLimit}."));
        }

        if (QueueTimeout < TimeSpan.FromMilliseconds(1) || QueueTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{nameof(QueueTimeout)} must be from 00:00:00.001 to 00:10:00; it was {QueueTimeout}."));
        }

        if (RequestTimeout < TimeSpan.FromMilliseconds(1) || RequestTimeout > TimeSpan.FromHours(1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{nameof(RequestTimeout)} must be from 00:00:00.001 to 01:00:00; it was {RequestTimeout}."));
        }
    }
}
