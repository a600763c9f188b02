using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Counter.LoadDriver;

/// <summary>
/// Sends single increments to fresh counters at a steady rate and measures, for each, the time from its 202 to the
/// first poll of <c>GET /counters?prefix=lag-</c> that shows it. Polls every <see cref="PollEvery"/>, or less often
/// where a read takes longer (<see cref="ReadPath.PauseAfter"/>) but at least every <see cref="PollAtLeastEvery"/>, so
/// a lag is overstated by at most that and one answer of the read path. The ceiling matters under load on Azurite:
/// there a read's answer can wait over a second behind the load's requests (not cost it), and the pause after it had
/// grown to 12 s, which counted into every lag it saw (2026-12-04).
/// </summary>
internal sealed class ReadPathLag(HttpClient client)
{
    private const string CounterPrefix = "lag-";
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan PollAtLeastEvery = TimeSpan.FromMilliseconds(250);

    public async Task<IReadOnlyList<TimeSpan>> MeasureAsync(int perSecond, TimeSpan sendFor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var sending = SendAsync(perSecond, sendFor, acknowledged, cancellationToken);
        var lags = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var readPath = new ReadPath(client);
        var lastAcknowledged = Stopwatch.GetTimestamp();
        while (!sending.IsCompleted || lags.Count < acknowledged.Count)
        {
            var pollStarted = Stopwatch.GetTimestamp();
            var counters = await readPath.ReadAllAsync(cancellationToken, CounterPrefix).ConfigureAwait(false);
            var polledAt = Stopwatch.GetTimestamp();
            foreach (var (name, acknowledgedAt) in acknowledged)
            {
                if (!lags.ContainsKey(name) && counters.GetValueOrDefault(name) > 0)
                {
                    lags[name] = Stopwatch.GetElapsedTime(acknowledgedAt, polledAt);
                }

                lastAcknowledged = Math.Max(lastAcknowledged, acknowledgedAt);
            }

            if (sending.IsCompleted && Stopwatch.GetElapsedTime(lastAcknowledged) > timeout)
            {
                throw new TimeoutException($"{acknowledged.Count - lags.Count} of {acknowledged.Count} increments did not show on the read path within {timeout.TotalSeconds} s.");
            }

            var pause = ReadPath.PauseAfter(Stopwatch.GetElapsedTime(pollStarted, polledAt), PollEvery);
            await Task.Delay(pause < PollAtLeastEvery ? pause : PollAtLeastEvery, cancellationToken).ConfigureAwait(false);
        }

        await sending.ConfigureAwait(false);
        return [.. lags.Values.Order()];
    }

    private async Task SendAsync(int perSecond, TimeSpan sendFor, ConcurrentDictionary<string, long> acknowledged, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        var total = (int)(perSecond * sendFor.TotalSeconds);
        var inFlight = new List<Task>(total);
        for (var index = 0; index < total && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false); index++)
        {
            // Not awaited here, so that one slow answer does not hold back the steady rate.
            inFlight.Add(IncrementAsync(CounterPrefix + index.ToString(CultureInfo.InvariantCulture), acknowledged, cancellationToken));
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private async Task IncrementAsync(string counter, ConcurrentDictionary<string, long> acknowledged, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync($"increment/{counter}", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /increment/{counter} answered {(int)response.StatusCode}.");
        }

        acknowledged[counter] = Stopwatch.GetTimestamp();
    }
}
