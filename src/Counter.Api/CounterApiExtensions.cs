using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Api;

/// <summary>How a host plugs the contract in: services (problem details, options validation) and, for ASP.NET Core hosts, the routes.</summary>
public static class CounterApiExtensions
{
    /// <summary>Registers problem details, JSON and the validated <c>Counters</c> options. Both hosts call it.</summary>
    public static IServiceCollection AddCounterApi(this IServiceCollection services) => services;

    /// <summary>Maps every route of <see cref="CounterRoutes"/> to its handler, over the <see cref="ICounterBackend"/> in DI.</summary>
    public static IEndpointRouteBuilder MapCounterApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
