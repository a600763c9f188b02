using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Counter.Api;

/// <summary>
/// OpenTelemetry for the ASP.NET Core hosts, registered only when something collects it (an OTLP endpoint, or the
/// Prometheus scrape endpoint): with neither, nothing is listened to and requests pay nothing for it. Metrics are the
/// service's meters (<c>Counter.*</c>: the edge's refusals, the runtime's commits and snapshots), ASP.NET Core's
/// (requests, Kestrel, rate limiting) and the .NET runtime's (<c>System.Runtime</c>: GC, thread pool, exceptions);
/// traces are ASP.NET Core's requests; logs are the host's <c>ILogger</c> output.
/// </summary>
public static class CounterTelemetry
{
    /// <summary>The standard variable that turns the OTLP exporter on; the exporter reads it (and its siblings) itself.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddCounterTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>().Bind(section);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var prometheus = section.GetValue<bool>(nameof(TelemetryOptions.Prometheus));
        if (!otlp && !prometheus)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddMeter("Counter.*", "System.Runtime");
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(static tracing => tracing.AddAspNetCoreInstrumentation()).UseOtlpExporter();
        }

        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> when <c>Telemetry:Prometheus</c> is on.</summary>
    public static WebApplication MapCounterTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint();
        }

        return app;
    }
}
