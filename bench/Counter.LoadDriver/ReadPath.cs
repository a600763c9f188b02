using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Counter.LoadDriver;

/// <summary>What the service shows on its read path (<c>GET /counters</c>, every page) and its merge count.</summary>
internal sealed class ReadPath(HttpClient client)
{
    /// <summary>
    /// A poll waits at least this many times as long as its read took before the next, so that polling takes at most a
    /// tenth of the read path's time. Azurite answers each page of <c>GET /counters</c> by scanning and sorting the
    /// whole table partition (lokijs: ~46 % of its CPU in a 30,000-counter load on the Durable host, 2026-12-04): a
    /// poll back to back made the emulator's one thread mostly the pollers', an increment waited 30 s for its 202 and
    /// the load took 35–90 s to show instead of 22 s without pollers. On the embedded host a read takes a millisecond
    /// or two, so its polls keep their floor.
    /// </summary>
    public const int PauseToReadRatio = 9;

    private const int MaxReadAttempts = 10;

    /// <summary>How long to wait after a read that took <paramref name="readTook"/>: <paramref name="floor"/>, or <see cref="PauseToReadRatio"/> times the read.</summary>
    public static TimeSpan PauseAfter(TimeSpan readTook, TimeSpan floor) =>
        TimeSpan.FromTicks(Math.Max(floor.Ticks, PauseToReadRatio * readTook.Ticks));

    /// <summary>
    /// Every counter, or with <paramref name="prefix"/> those named with it (<c>GET /counters?prefix=</c>): the read path
    /// then finds and sends only those, so a poll for a few counters under a load over 100,000 others costs the
    /// store a range of a page, not a sort of the whole partition.
    /// </summary>
    public async Task<Dictionary<string, long>> ReadAllAsync(CancellationToken cancellationToken, string? prefix = null)
    {
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await ReadPageAsync(token, cancellationToken, prefix).ConfigureAwait(false);
            foreach (var (name, value) in page.Counters)
            {
                counters[name] = value;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return counters;
    }

    /// <summary>
    /// Polls until all counters add up to <paramref name="expectedSum"/>; returns how long that took, overstated by at
    /// most one pause (<see cref="PauseAfter"/>, at least 250 ms) and one read.
    /// </summary>
    public async Task<TimeSpan> WaitForSumAsync(long expectedSum, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var readStarted = Stopwatch.GetTimestamp();
            var counters = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var readTook = Stopwatch.GetElapsedTime(readStarted);
            var sum = counters.Values.Sum();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (sum == expectedSum)
            {
                return elapsed;
            }

            if (elapsed > timeout)
            {
                throw new TimeoutException($"The read path shows {sum} of {expectedSum} increments after {elapsed.TotalSeconds:F1} s.");
            }

            await Task.Delay(PauseAfter(readTook, TimeSpan.FromMilliseconds(250)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls until every counter of <paramref name="expected"/> shows exactly its value; returns how long that took,
    /// overstated by at most one pause (<see cref="PauseAfter"/>, at least 250 ms) and one read. A poll reads the pages
    /// in name order only up to the first counter still short of its value, so that while the read path catches up a
    /// poll costs a page or so, not every page; a counter above its value (an increment counted twice) fails at once.
    /// </summary>
    public async Task<TimeSpan> WaitForCountsAsync(IReadOnlyDictionary<string, long> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var names = expected.Keys.Order(StringComparer.Ordinal).ToArray();
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var readStarted = Stopwatch.GetTimestamp();
            var shortOf = await FirstShortAsync(names, expected, cancellationToken).ConfigureAwait(false);
            var readTook = Stopwatch.GetElapsedTime(readStarted);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (shortOf is null)
            {
                return elapsed;
            }

            if (elapsed > timeout)
            {
                throw new TimeoutException($"The read path does not show counter '{shortOf.Value.Name}' at {expected[shortOf.Value.Name]} but at {shortOf.Value.Shown} after {elapsed.TotalSeconds:F1} s.");
            }

            await Task.Delay(PauseAfter(readTook, TimeSpan.FromMilliseconds(250)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first of <paramref name="names"/> (in name order) that the read path shows short of its value, or null.</summary>
    private async Task<(string Name, long Shown)?> FirstShortAsync(string[] names, IReadOnlyDictionary<string, long> expected, CancellationToken cancellationToken)
    {
        var next = 0;
        string? token = null;
        do
        {
            var page = await ReadPageAsync(token, cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;
            var last = page.Counters.Count == 0 ? "" : page.Counters.Keys.Max(StringComparer.Ordinal);
            for (; next < names.Length && (token is null || string.CompareOrdinal(names[next], last) <= 0); next++)
            {
                var shown = page.Counters.GetValueOrDefault(names[next]);
                if (shown > expected[names[next]])
                {
                    throw new InvalidOperationException($"The read path shows counter '{names[next]}' at {shown}, above the {expected[names[next]]} increments it was sent.");
                }

                if (shown < expected[names[next]])
                {
                    return (names[next], shown);
                }
            }
        }
        while (token is not null && next < names.Length);
        return null;
    }

    private async Task<CounterPage> ReadPageAsync(string? token, CancellationToken cancellationToken, string? prefix = null)
    {
        var uri = "counters?pageSize=1000"
            + (prefix is null ? "" : $"&prefix={Uri.EscapeDataString(prefix)}")
            + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
        return await GetAsync(uri, ServiceJsonContext.Default.CounterPage, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("GET /counters answered no page.");
    }

    public async Task<long> MergesAsync(CancellationToken cancellationToken) =>
        (await GetAsync("global/shardWrites", ServiceJsonContext.Default.ShardWrites, cancellationToken).ConfigureAwait(false))?.Total
        ?? throw new InvalidOperationException("GET /global/shardWrites answered nothing.");

    /// <summary>
    /// A GET whose 503 or 504 is tried again (after its Retry-After, if any), as a client would: on the Durable host a read
    /// of an entity's state can lose a race with the entity replacing its state blob, and the host answers 503 for it; and
    /// under the load of 1,000,000 increments over 100,000 counters Azurite's one thread is so busy that a page of
    /// <c>GET /counters</c> can outlast the host's request timeout (504, 2026-12-05).
    /// </summary>
    private async Task<T?> GetAsync<T>(string uri, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout) || attempt == MaxReadAttempts)
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}
