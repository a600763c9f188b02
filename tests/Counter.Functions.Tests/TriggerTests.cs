using System.Reflection;
using Counter.Api;
using Counter.Durable.Entities;
using Counter.Functions.Entities;
using Counter.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Functions.Tests;

/// <summary>The Functions app serves the contract's routes and triggers the shared entities under the names the core addresses.</summary>
public sealed class TriggerTests
{
    [Fact]
    public void Every_route_of_the_contract_is_a_function_with_its_name_method_and_route()
    {
        var functions = typeof(CounterFunctions).GetMethods()
            .Select(static method => (Function: method.GetCustomAttribute<FunctionAttribute>(), Trigger: method.GetParameters()
                .Select(static parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(static trigger => trigger is not null)))
            .Where(static function => function.Function is not null)
            .Select(static function => $"{function.Function!.Name} {string.Join(',', function.Trigger!.Methods!).ToUpperInvariant()} {function.Trigger.Route}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var contract = ContractEndpoints();
        Assert.NotEmpty(contract);
        Assert.Equal(contract, functions);
    }

    [Fact]
    public void The_worker_middleware_puts_each_public_function_in_the_route_group_of_its_endpoint()
    {
        var endpoints = Endpoints();
        Assert.Contains(endpoints, static endpoint => endpoint.Route.Group == RouteGroup.PublicIncrements && endpoint.Route.IsTenantRoute);
        foreach (var (name, route) in endpoints)
        {
            Assert.Equal(route.Group == RouteGroup.Administration ? null : route, PublicFunctions.Of(name));
        }
    }

    [Theory]
    [InlineData(nameof(EntityFunctions.ShardAsync))]
    [InlineData(nameof(EntityFunctions.GlobalAsync))]
    public void Entity_functions_are_named_as_the_entities_they_dispatch_to(string method)
    {
        var name = typeof(EntityFunctions).GetMethod(method)!.GetCustomAttribute<FunctionAttribute>()!.Name;

        Assert.NotNull(DurableEntities.TypeOf(name));
    }

    private static List<string> ContractEndpoints() => ContractRoutes(static endpoint =>
        $"{endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName} {string.Join(',', endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)} {endpoint.RoutePattern.RawText!.TrimStart('/')}")
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Every endpoint of the contract by name, with the route group <c>MapCounterApi</c> put it in.</summary>
    private static List<(string Name, EdgeRoute Route)> Endpoints() =>
        ContractRoutes(static endpoint => (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, endpoint.Metadata.GetMetadata<EdgeRoute>()!));

    private static List<T> ContractRoutes<T>(Func<RouteEndpoint, T> describe)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting();
        using var app = builder.Build();
        app.MapCounterApi();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(static source => source.Endpoints).OfType<RouteEndpoint>().Select(describe)];
    }
}
