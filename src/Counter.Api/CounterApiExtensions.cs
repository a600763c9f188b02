using Counter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>How a host plugs the contract in: services (problem details, options validation) and, for ASP.NET Core hosts, the routes.</summary>
public static class CounterApiExtensions
{
    /// <summary>Registers problem details, JSON and the <c>Counters</c> options bound from <paramref name="configuration"/> and validated on start.</summary>
    public static IServiceCollection AddCounterApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, CounterApiJsonContext.Default));
        services.AddOptions<CounterOptions>().Bind(configuration.GetSection(CounterOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CounterOptions>, CounterOptionsValidation>();
        return services;
    }

    /// <summary>Maps every route of <see cref="CounterRoutes"/> to its handler, over the <see cref="ICounterBackend"/> in DI.</summary>
    public static IEndpointRouteBuilder MapCounterApi(this IEndpointRouteBuilder endpoints)
    {
        // No Accepts<T>() on POST /increments: its content-type check would answer 415 before the handler, with no problem details.
        var counting = endpoints.MapGroup("/").WithTags("Counting").ProducesValidationProblem();
        counting.MapPost(CounterRoutes.Increment, (HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.IncrementAsync(request, counter, backend, cancellationToken))
            .WithName("Increment").Produces<IncrementAccepted>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        counting.MapPost(CounterRoutes.Increments, (HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.IncrementManyAsync(request, backend, cancellationToken))
            .WithName("IncrementMany").Produces<IncrementsAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        counting.MapGet(CounterRoutes.Counters, (HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.ListCountersAsync(request, backend, cancellationToken))
            .WithName("ListCounters").Produces<CounterPage>();
        counting.MapGet(CounterRoutes.Counter, (HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.GetCounterAsync(request, counter, backend, cancellationToken))
            .WithName("GetCounter").Produces<CounterValue>().ProducesProblem(StatusCodes.Status404NotFound);

        var inspection = endpoints.MapGroup("/").WithTags("Inspection").ProducesValidationProblem();
        inspection.MapGet(CounterRoutes.GlobalCounters, (HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.GlobalCountersAsync(request, backend, cancellationToken))
            .WithName("GlobalCounters").Produces<GlobalCounters>();
        inspection.MapGet(CounterRoutes.GlobalWrites, (HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.GlobalWritesAsync(request, backend, cancellationToken))
            .WithName("GlobalWrites").Produces<GlobalWrites>();
        inspection.MapGet(CounterRoutes.GlobalShardWrites, (HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.GlobalShardWritesAsync(request, backend, cancellationToken))
            .WithName("GlobalShardWrites").Produces<GlobalShardWrites>();
        inspection.MapGet(CounterRoutes.GlobalShards, (HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.GlobalShardsAsync(request, backend, cancellationToken))
            .WithName("GlobalShards").Produces<GlobalShards>();
        inspection.MapPost(CounterRoutes.GlobalReset, (HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.GlobalResetAsync(request, counter, backend, cancellationToken))
            .WithName("ResetCounter").Produces<ResetAccepted>(StatusCodes.Status202Accepted);
        inspection.MapGet(CounterRoutes.ShardCounters, (HttpRequest request, string n, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.ShardCountersAsync(request, n, backend, cancellationToken))
            .WithName("ShardCounters").Produces<ShardView>();
        inspection.MapPost(CounterRoutes.ShardWrite, (HttpRequest request, string n, ICounterBackend backend, CancellationToken cancellationToken) =>
                CounterHandlers.ShardWriteAsync(request, n, backend, cancellationToken))
            .WithName("WriteShard").Produces<ShardWriteAccepted>(StatusCodes.Status202Accepted);
        return endpoints;
    }
}
