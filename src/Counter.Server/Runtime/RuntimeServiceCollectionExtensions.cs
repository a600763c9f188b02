using Counter.Api;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Counter.Server.Runtime;

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded entity runtime as a hosted service, <see cref="ICounterBackend"/> over it, and its health
    /// checks. Needs the storage (<c>AddCounterStorage</c>), the <c>Counters</c> options and a
    /// <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddEntityRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection(RuntimeOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddMetrics();
        services.AddSingleton<EntityRuntime>();
        services.AddHostedService<EntityRuntimeService>();
        services.AddSingleton<ICounterBackend, EmbeddedCounterBackend>();
        services.AddHealthChecks()
            .AddCheck<RuntimeHealthCheck>("runtime")
            .AddCheck<ReadPathHealthCheck>("read-path", HealthStatus.Degraded, [], ReadPathHealthCheck.Timeout);
        return services;
    }
}
