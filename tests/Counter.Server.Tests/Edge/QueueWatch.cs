using System.Diagnostics.Metrics;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// How many requests wait in the rate limiter's queues of one host, from ASP.NET Core's own instrument
/// (<c>aspnetcore.rate_limiting.queued_requests</c>) on that host's meters: what lets a test send the next request
/// only once the one before is queued, so that arrival order is the order it sent them.
/// </summary>
internal sealed class QueueWatch : IDisposable
{
    private readonly MeterListener listener = new();
    private long queued;

    public QueueWatch(IMeterFactory hostMeters)
    {
        listener.InstrumentPublished = (instrument, watching) =>
        {
            if (instrument.Name == "aspnetcore.rate_limiting.queued_requests" && ReferenceEquals(instrument.Meter.Scope, hostMeters))
            {
                watching.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, change, _, _) => Interlocked.Add(ref queued, change));
        listener.Start();
    }

    public long Queued => Interlocked.Read(ref queued);

    /// <summary>Waits until exactly <paramref name="count"/> requests are queued, within 10 s.</summary>
    public async Task UntilQueuedAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Queued != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{count} requests should be queued; {Queued} are.");
            await Task.Delay(5);
        }
    }

    public void Dispose() => listener.Dispose();
}
