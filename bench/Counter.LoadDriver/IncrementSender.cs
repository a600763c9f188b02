using System.Globalization;
using System.Net;
using System.Text;

namespace Counter.LoadDriver;

/// <summary>
/// Sends exactly <c>increments</c> increments (+1 each) spread round robin over <c>counters</c> counters, as
/// <c>POST /increments</c> bodies of <c>perRequest</c> distinct counters, from <c>concurrency</c> parallel senders.
/// Answers of 503 are retried after their Retry-After; anything else but 202 fails the run.
/// </summary>
internal sealed class IncrementSender(HttpClient client, int counters, int perRequest)
{
    public const string CounterPrefix = "bench-";

    private readonly int perRequest = Math.Min(perRequest, counters);
    private long retries;

    public long Retries => Interlocked.Read(ref retries);

    public static string CounterName(long index) => CounterPrefix + index.ToString(CultureInfo.InvariantCulture);

    public async Task SendAsync(long increments, int concurrency, CancellationToken cancellationToken)
    {
        var requests = (increments + perRequest - 1) / perRequest;
        var nextRequest = -1L;
        var senders = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            long request;
            while ((request = Interlocked.Increment(ref nextRequest)) < requests)
            {
                var size = (int)Math.Min(perRequest, increments - (request * perRequest));
                await PostAsync(Body(request * perRequest, size), cancellationToken).ConfigureAwait(false);
            }
        });
        await Task.WhenAll(senders).ConfigureAwait(false);
    }

    private byte[] Body(long firstIncrement, int size)
    {
        var body = new StringBuilder("{");
        for (var offset = 0; offset < size; offset++)
        {
            body.Append(offset == 0 ? "\"" : ",\"").Append(CounterName((firstIncrement + offset) % counters)).Append("\":1");
        }

        return Encoding.UTF8.GetBytes(body.Append('}').ToString());
    }

    private async Task PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await client.PostAsync("increments", content, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"POST /increments answered {(int)response.StatusCode}: {problem}");
            }

            Interlocked.Increment(ref retries);
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}
