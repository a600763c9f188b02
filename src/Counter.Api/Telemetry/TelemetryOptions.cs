namespace Counter.Api;

/// <summary>
/// How the ASP.NET Core hosts export their telemetry (<c>Telemetry:…</c>). OTLP needs no option of ours: setting the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and, as needed, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>OTEL_SERVICE_NAME</c>) turns it on for metrics, traces and logs.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// <c>Telemetry:Prometheus</c>: serve the metrics at <c>GET /metrics</c> in Prometheus' text format, for a scraper.
    /// Off by default: the endpoint has no key, so it belongs on a network only the scraper reaches.
    /// </summary>
    public bool Prometheus { get; set; }
}
