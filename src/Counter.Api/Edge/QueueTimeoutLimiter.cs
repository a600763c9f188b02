using System.Threading.RateLimiting;

namespace Counter.Api;

/// <summary>
/// A group's <see cref="ConcurrencyLimiter"/> with a bound on the wait, which it lacks: a request still queued after
/// <c>QueueTimeout</c> leaves the queue (the limiter's own cancellation) and gets a lease that is not acquired, which
/// the rate limiting middleware answers as a refusal (503) rather than as a client gone away. Timed by the host's
/// <see cref="TimeProvider"/>. Everything else, the queue and its order included, is the wrapped limiter's.
/// </summary>
internal sealed class QueueTimeoutLimiter(ConcurrencyLimiter queue, TimeSpan timeout, TimeProvider time) : RateLimiter
{
    public override TimeSpan? IdleDuration => queue.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => queue.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => queue.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await queue.AcquireAsync(permitCount, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return QueueTimedOutLease.Instance;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            queue.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => queue.DisposeAsync();
}
