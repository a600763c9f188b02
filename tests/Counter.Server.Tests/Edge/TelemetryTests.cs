using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Counter.Server.Tests.Edge;

/// <summary>Telemetry is registered only when collected: the Prometheus endpoint shows the edge's refusals, OTLP turns on traces.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task The_Prometheus_endpoint_serves_the_refusals_beside_ASP_NET_Cores_and_the_runtimes_metrics()
    {
        await using var server = new CounterServerFactory()
            .WithSetting("Telemetry:Prometheus", "true")
            .WithSetting("Throttling:PublicIncrements:MaxConcurrent", "1")
            .WithSetting("Throttling:PublicIncrements:QueueLimit", "0")
            .WithServices(GatedBackend.Install);
        using var client = server.CreateClient();
        var backend = server.Services.GetRequiredService<GatedBackend>();
        var running = client.PostAsync(new Uri("/increment/first", UriKind.Relative), null);
        var arrival = await backend.NextArrivalAsync();
        using (var refused = await client.PostAsync(new Uri("/increment/refused", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        arrival.Open();
        using (await running)
        {
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("counter_edge_refusals_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("group=\"PublicIncrements\"", metrics, StringComparison.Ordinal);
        Assert.Contains("reason=\"queue_full\"", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_or_Prometheus_no_telemetry_is_registered_and_metrics_is_no_route()
    {
        await using var server = new CounterServerFactory();
        using var client = server.CreateClient();

        Assert.Null(server.Services.GetService<MeterProvider>());
        Assert.Null(server.Services.GetService<TracerProvider>());
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_OTLP_endpoint_turns_on_metrics_and_traces()
    {
        await using var server = new CounterServerFactory().WithSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        using var client = server.CreateClient();

        Assert.NotNull(server.Services.GetService<MeterProvider>());
        Assert.NotNull(server.Services.GetService<TracerProvider>());
    }
}
