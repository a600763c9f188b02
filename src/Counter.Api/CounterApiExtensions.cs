using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Api;

/// <summary>How a host plugs the contract in: services (problem details, options validation) and, for ASP.NET Core hosts, the routes.</summary>
public static class CounterApiExtensions
{
    /// <summary>Registers problem details, JSON and the <c>Counters</c> options bound from <paramref name="configuration"/> and validated on start. Both hosts call it.</summary>
    public static IServiceCollection AddCounterApi(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Maps every route of <see cref="CounterRoutes"/> to its handler, over the <see cref="ICounterBackend"/> in DI.</summary>
    public static IEndpointRouteBuilder MapCounterApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
