using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Counter.LoadDriver;

/// <summary>How the increments are sent, named as bench/wrk/counters.lua names the same loads.</summary>
internal enum IncrementMode
{
    /// <summary><c>POST /increments</c> bodies of several distinct counters (+1 each).</summary>
    Batch,

    /// <summary><c>POST /increment/{counter}</c>, one increment a request.</summary>
    Single,
}

/// <summary>
/// Sends up to <c>increments</c> increments (+1 each) spread round robin over <c>counters</c> counters named
/// <c>counterPrefix</c> and a number, from <c>concurrency</c> parallel senders: as <c>POST /increments</c> bodies of
/// <c>perRequest</c> distinct counters, or in <see cref="IncrementMode.Single"/> as one <c>POST /increment/{counter}</c>
/// each. Answers of 503 are retried after their Retry-After; anything else but 202 fails the run.
/// </summary>
internal sealed class IncrementSender(HttpClient client, IncrementMode mode, string counterPrefix, int counters, int perRequest)
{
    public const string DefaultCounterPrefix = "bench-";

    private readonly int perRequest = mode == IncrementMode.Single ? 1 : Math.Min(perRequest, counters);
    private long retries;
    private long accepted;

    public long Retries => Interlocked.Read(ref retries);

    /// <summary>Increments answered 202 so far: the ones the read path must end up showing.</summary>
    public long Accepted => Interlocked.Read(ref accepted);

    public string CounterName(long index) => counterPrefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What each counter must end up showing: increment i goes to counter i modulo the counters, and the increments
    /// accepted are the first <see cref="Accepted"/>, every request started being awaited until answered 202.
    /// </summary>
    public Dictionary<string, long> ExpectedCounts()
    {
        var sent = Accepted;
        return Enumerable.Range(0, (int)Math.Min(counters, sent)).ToDictionary(
            index => CounterName(index),
            index => (sent / counters) + (index < sent % counters ? 1 : 0),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Sends until <paramref name="increments"/> are sent or <paramref name="sendFor"/> has passed, whichever comes first:
    /// after that no sender starts another request, and the ones in flight are awaited, so that <see cref="Accepted"/> is exact.
    /// </summary>
    public async Task SendAsync(long increments, int concurrency, TimeSpan sendFor, CancellationToken cancellationToken)
    {
        var requests = (increments + perRequest - 1) / perRequest;
        var nextRequest = -1L;
        var started = Stopwatch.GetTimestamp();
        var senders = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            long request;
            while (Stopwatch.GetElapsedTime(started) < sendFor && (request = Interlocked.Increment(ref nextRequest)) < requests)
            {
                var size = (int)Math.Min(perRequest, increments - (request * perRequest));
                await SendRequestAsync(request * perRequest, size, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref accepted, size);
            }
        });
        await Task.WhenAll(senders).ConfigureAwait(false);
    }

    private Task SendRequestAsync(long firstIncrement, int size, CancellationToken cancellationToken) =>
        mode == IncrementMode.Single
            ? PostAsync($"increment/{Uri.EscapeDataString(CounterName(firstIncrement % counters))}", body: null, cancellationToken)
            : PostAsync("increments", Body(firstIncrement, size), cancellationToken);

    private byte[] Body(long firstIncrement, int size)
    {
        var body = new StringBuilder("{");
        for (var offset = 0; offset < size; offset++)
        {
            body.Append(offset == 0 ? "\"" : ",\"").Append(CounterName((firstIncrement + offset) % counters)).Append("\":1");
        }

        return Encoding.UTF8.GetBytes(body.Append('}').ToString());
    }

    private async Task PostAsync(string route, byte[]? body, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var content = body is null ? null : new ByteArrayContent(body);
            if (content is not null)
            {
                content.Headers.ContentType = new("application/json");
            }

            using var response = await client.PostAsync(route, content, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"POST /{route} answered {(int)response.StatusCode}: {problem}");
            }

            Interlocked.Increment(ref retries);
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}
