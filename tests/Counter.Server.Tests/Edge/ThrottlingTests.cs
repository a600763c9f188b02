using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// The per-group concurrency limit and its FIFO queue, over HTTP against the real host, with the backend behind a
/// gate (<see cref="GatedBackend"/>) so that the test decides when a running request may finish.
/// </summary>
public sealed class ThrottlingTests : IAsyncDisposable
{
    private readonly CounterServerFactory server = new();
    private GatedBackend backend = null!;
    private QueueWatch queue = null!;
    private HttpClient client = null!;

    [Fact]
    public async Task With_MaxConcurrent_N_N_plus_3_requests_run_N_at_once_and_the_rest_start_in_arrival_order()
    {
        const int N = 2;
        Start(maxConcurrent: N, queueLimit: 10);
        var running = new List<GatedBackend.Arrival>();
        var answers = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < N + 3; i++)
        {
            answers.Add(client.PostAsync(new Uri($"/increment/c{i}", UriKind.Relative), null));
            if (i < N)
            {
                running.Add(await backend.NextArrivalAsync());
            }
            else
            {
                await queue.UntilQueuedAsync(i - N + 1);
            }
        }

        Assert.Equal(["c0", "c1"], running.Select(static arrival => arrival.Counter));
        Assert.False(backend.HasArrival);
        var started = new List<string>();
        for (var next = 0; next < N + 3; next++)
        {
            running[next].Open();
            if (next + N < N + 3)
            {
                var arrival = await backend.NextArrivalAsync();
                started.Add(arrival.Counter);
                running.Add(arrival);
            }
        }

        Assert.Equal(["c2", "c3", "c4"], started);
        foreach (var answer in answers)
        {
            using var response = await answer;
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(N, backend.MostRunning);
    }

    [Fact]
    public async Task A_queued_request_whose_client_disconnects_leaves_the_queue_and_never_reaches_the_backend()
    {
        Start(maxConcurrent: 1, queueLimit: 10);
        var first = client.PostAsync(new Uri("/increment/first", UriKind.Relative), null);
        var running = await backend.NextArrivalAsync();
        using var leaving = new CancellationTokenSource();
        var gone = client.PostAsync(new Uri("/increment/gone", UriKind.Relative), null, leaving.Token);
        await queue.UntilQueuedAsync(1);
        var last = client.PostAsync(new Uri("/increment/last", UriKind.Relative), null);
        await queue.UntilQueuedAsync(2);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        await queue.UntilQueuedAsync(1);
        running.Open();
        var next = await backend.NextArrivalAsync();
        Assert.Equal("last", next.Counter);
        next.Open();

        using (var response = await first)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        using (var response = await last)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.False(backend.HasArrival);
        await server.SettleAsync();
        var totals = await client.GetFromJsonAsync<JsonElement>("/counters");
        Assert.False(totals.GetProperty("counters").TryGetProperty("gone", out _));
    }

    [Fact]
    public async Task A_request_queued_longer_than_QueueTimeout_gets_503_with_Retry_After()
    {
        Start(maxConcurrent: 1, queueLimit: 10, queueTimeout: "00:00:05");
        var first = client.PostAsync(new Uri("/increment/first", UriKind.Relative), null);
        var running = await backend.NextArrivalAsync();
        var waiting = client.PostAsync(new Uri("/increment/waiting", UriKind.Relative), null);
        await queue.UntilQueuedAsync(1);

        server.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        using (var refused = await waiting)
        {
            await ExpectBusyAsync(refused);
        }

        running.Open();
        using var accepted = await first;
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.False(backend.HasArrival);
    }

    [Fact]
    public async Task A_full_queue_refuses_the_next_request_at_once_with_503()
    {
        Start(maxConcurrent: 1, queueLimit: 1);
        var first = client.PostAsync(new Uri("/increment/first", UriKind.Relative), null);
        var running = await backend.NextArrivalAsync();
        var queued = client.PostAsync(new Uri("/increment/queued", UriKind.Relative), null);
        await queue.UntilQueuedAsync(1);

        using (var refused = await client.PostAsync(new Uri("/increment/refused", UriKind.Relative), null))
        {
            await ExpectBusyAsync(refused);
        }

        running.Open();
        (await backend.NextArrivalAsync()).Open();
        using var firstAnswer = await first;
        using var queuedAnswer = await queued;
        Assert.Equal(HttpStatusCode.Accepted, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, queuedAnswer.StatusCode);
    }

    [Fact]
    public async Task Groups_queue_apart_so_reads_and_administration_pass_while_increments_are_throttled()
    {
        Start(maxConcurrent: 1, queueLimit: 0);
        var first = client.PostAsync(new Uri("/increment/first", UriKind.Relative), null);
        var running = await backend.NextArrivalAsync();

        using (var refused = await client.PostAsync(new Uri("/increment/refused", UriKind.Relative), null))
        {
            await ExpectBusyAsync(refused);
        }

        using (var read = await client.GetAsync(new Uri("/counters", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var administration = await client.GetAsync(new Uri("/tenants", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, administration.StatusCode);
        }

        running.Open();
        using var answer = await first;
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        queue?.Dispose();
        client?.Dispose();
        await server.DisposeAsync();
    }

    private static async Task ExpectBusyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }

    private void Start(int maxConcurrent, int queueLimit, string queueTimeout = "00:01:00")
    {
        server.WithSetting("Throttling:PublicIncrements:MaxConcurrent", maxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Throttling:PublicIncrements:QueueLimit", queueLimit.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Throttling:PublicIncrements:QueueTimeout", queueTimeout)
            .WithServices(GatedBackend.Install);
        client = server.CreateClient();
        backend = server.Services.GetRequiredService<GatedBackend>();
        queue = new QueueWatch(server.Services.GetRequiredService<IMeterFactory>());
    }
}
