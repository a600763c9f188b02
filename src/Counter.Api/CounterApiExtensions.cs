using Counter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>How a host plugs the contract in: services (problem details, options validation) and, for ASP.NET Core hosts, the routes.</summary>
public static class CounterApiExtensions
{
    /// <summary>Registers problem details, JSON and the <c>Counters</c> options bound from <paramref name="configuration"/> and validated on start.</summary>
    public static IServiceCollection AddCounterApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, CounterApiJsonContext.Readable));
        services.AddOptions<CounterOptions>().Bind(configuration.GetSection(CounterOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        // GlobalPartitions is read once, at start, where the hosts check it against the stored totals: changed while
        // running, shards would send a counter's increments to another global entity than the one holding its total.
        services.AddOptions<TenantOptions>().Bind(configuration.GetSection(TenantOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName));
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidation>();
        services.AddOptions<AdminOptions>().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<ApiKeyAccess>();
        services.AddSingleton<IdempotentRequests>();
        services.AddSingleton<TenantServices>();
        var atStart = 0;
        services.PostConfigure<CounterOptions>(options =>
        {
            var first = Interlocked.CompareExchange(ref atStart, options.GlobalPartitions, 0);
            if (first != 0)
            {
                options.GlobalPartitions = first;
            }
        });
        return services;
    }

    /// <summary>
    /// The request pipeline of an ASP.NET Core host of the contract: unexpected failures and bodiless status codes
    /// (unknown route, wrong method) answer with problem details, never a stack trace; then the OpenAPI document
    /// (<c>/openapi/v1.json</c>, which needs <c>AddOpenApi()</c>), <c>/healthz</c> and every route of the contract.
    /// </summary>
    public static WebApplication UseCounterService(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        app.MapCounterApi();
        return app;
    }

    /// <summary>Maps every route of <see cref="CounterRoutes"/> to its handler, over the <see cref="ICounterBackend"/> in DI.</summary>
    public static IEndpointRouteBuilder MapCounterApi(this IEndpointRouteBuilder endpoints)
    {
        // No Accepts<T>() on POST /increments: its content-type check would answer 415 before the handler, with no problem details.
        var counting = endpoints.MapGroup("/").WithTags("Counting").ProducesValidationProblem();
        counting.MapPost(CounterRoutes.Increment, CounterHandlers.IncrementAsync)
            .WithName("Increment").Produces<IncrementAccepted>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        counting.MapPost(CounterRoutes.Increments, CounterHandlers.IncrementManyAsync)
            .WithName("IncrementMany").Produces<IncrementsAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        counting.MapGet(CounterRoutes.Counters, CounterHandlers.ListCountersAsync)
            .WithName("ListCounters").Produces<CounterPage>();
        counting.MapGet(CounterRoutes.Counter, CounterHandlers.GetCounterAsync)
            .WithName("GetCounter").Produces<CounterValue>().ProducesProblem(StatusCodes.Status404NotFound);

        var inspection = endpoints.MapGroup("/").WithTags("Inspection").ProducesValidationProblem();
        inspection.MapGet(CounterRoutes.GlobalCounters, CounterHandlers.GlobalCountersAsync)
            .WithName("GlobalCounters").Produces<GlobalCounters>();
        inspection.MapGet(CounterRoutes.GlobalWrites, CounterHandlers.GlobalWritesAsync)
            .WithName("GlobalWrites").Produces<GlobalWrites>();
        inspection.MapGet(CounterRoutes.GlobalShardWrites, CounterHandlers.GlobalShardWritesAsync)
            .WithName("GlobalShardWrites").Produces<GlobalShardWrites>();
        inspection.MapGet(CounterRoutes.GlobalShards, CounterHandlers.GlobalShardsAsync)
            .WithName("GlobalShards").Produces<GlobalShards>();
        inspection.MapPost(CounterRoutes.GlobalReset, CounterHandlers.GlobalResetAsync)
            .WithName("ResetCounter").Produces<ResetAccepted>(StatusCodes.Status202Accepted);
        inspection.MapGet(CounterRoutes.ShardCounters, CounterHandlers.ShardCountersAsync)
            .WithName("ShardCounters").Produces<ShardView>();
        inspection.MapPost(CounterRoutes.ShardWrite, CounterHandlers.ShardWriteAsync)
            .WithName("WriteShard").Produces<ShardWriteAccepted>(StatusCodes.Status202Accepted);
        inspection.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        var tenants = endpoints.MapGroup("/").WithTags("Tenants").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        tenants.MapPost(CounterRoutes.Tenants, CounterHandlers.CreateTenantAsync)
            .WithName("CreateTenant").Produces<TenantKeyIssued>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        tenants.MapGet(CounterRoutes.Tenants, CounterHandlers.ListTenantsAsync)
            .WithName("ListTenants").Produces<TenantList>();
        tenants.MapDelete(CounterRoutes.Tenant, CounterHandlers.DeleteTenantAsync)
            .WithName("DeleteTenant").Produces(StatusCodes.Status204NoContent);
        tenants.MapPost(CounterRoutes.Tenant, CounterHandlers.CreateCounterAsync)
            .WithName("CreateCounter").Produces<TenantCounterValue>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        tenants.MapGet(CounterRoutes.Tenant, CounterHandlers.ListTenantCountersAsync)
            .WithName("ListTenantCounters").Produces<TenantCounterPage>();
        tenants.MapGet(CounterRoutes.TenantCounter, CounterHandlers.GetTenantCounterAsync)
            .WithName("GetTenantCounter").Produces<TenantCounterValue>();
        tenants.MapPost(CounterRoutes.TenantCounterIncrement, CounterHandlers.IncrementTenantCounterAsync)
            .WithName("IncrementTenantCounter").Produces<TenantIncrementAccepted>(StatusCodes.Status202Accepted).Produces<StrictResult>();
        tenants.MapPost(CounterRoutes.TenantCounterDecrement, CounterHandlers.DecrementTenantCounterAsync)
            .WithName("DecrementTenantCounter").Produces<TenantIncrementAccepted>(StatusCodes.Status202Accepted).Produces<StrictResult>();
        tenants.MapPut(CounterRoutes.TenantCounter, CounterHandlers.SetTenantCounterAsync)
            .WithName("SetTenantCounter").Produces<TenantSetAccepted>(StatusCodes.Status202Accepted).Produces<StrictResult>();
        tenants.MapPost(CounterRoutes.TenantOperations, CounterHandlers.OperationsAsync)
            .WithName("TenantOperations").Produces<StrictResult[]>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        tenants.MapDelete(CounterRoutes.TenantCounter, CounterHandlers.DeleteTenantCounterAsync)
            .WithName("DeleteTenantCounter").Produces(StatusCodes.Status204NoContent);
        tenants.MapPost(CounterRoutes.TenantKeys, CounterHandlers.IssueTenantKeyAsync)
            .WithName("IssueTenantKey").Produces<TenantKeyIssued>(StatusCodes.Status201Created);
        tenants.MapDelete(CounterRoutes.TenantKey, CounterHandlers.RevokeTenantKeyAsync)
            .WithName("RevokeTenantKey").Produces(StatusCodes.Status204NoContent);
        return endpoints;
    }
}
