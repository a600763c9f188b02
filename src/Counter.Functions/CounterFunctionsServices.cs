using Counter.Api;
using Counter.Functions.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Functions;

/// <summary>Everything the Functions host registers besides the Functions runtime itself.</summary>
public static class CounterFunctionsServices
{
    /// <summary>The contract's services and validated <c>Counters</c> options, the clock, the entity shell and the Table snapshot store.</summary>
    public static IServiceCollection AddCounterFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCounterApi(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EntityShell>();
        services.AddTableSnapshotStore(configuration);
        return services;
    }
}
