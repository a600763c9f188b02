using Counter.Api;
using Counter.Durable.Coalescing;
using Counter.Durable.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Durable;

/// <summary>What both Durable hosts register besides their runtime: the one place their services are chosen.</summary>
public static class DurableCounterServices
{
    /// <summary>The contract's services and validated <c>Counters</c> options, the clock, the entity shell, the signal coalescer and sequencer and the Table stores (snapshots, tenants), the snapshot store behind the read cache, which the entity shell's snapshot writes go through too.</summary>
    public static IServiceCollection AddDurableCounters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCounterApi(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EntityShell>();
        services.AddSingleton<SignalCoalescer>();
        services.AddSingleton<SignalSequencer>();
        services.AddTableStores(configuration);
        services.AddReadCache(configuration);
        return services;
    }
}
