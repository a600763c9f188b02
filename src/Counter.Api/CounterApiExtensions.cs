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
        services.AddSingleton<StrictMirror>();
        services.AddHostedService(static provider => provider.GetRequiredService<StrictMirror>());
        services.AddSingleton<TenantServices>();
        services.AddEdgeProtection(configuration);
        services.AddCounterTelemetry(configuration);
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
    /// The request pipeline of an ASP.NET Core host of the contract, in the order a request meets it: its address from
    /// a trusted proxy's <c>X-Forwarded-For</c>, so that everything after sees the client; the request log around the
    /// rest, so that it has the final status; unexpected failures and bodiless status codes (unknown route, wrong
    /// method) answered with problem details, never a stack trace; CORS before the limits, so that a preflight costs no
    /// place in a queue and a refusal still carries headers a browser can read; the per-group concurrency limits and
    /// per-address buckets (unless <c>Throttling:Enabled</c> is false); the request timeouts, which count from when a
    /// request leaves its queue. Then the OpenAPI document (<c>/openapi/v1.json</c>, which needs <c>AddOpenApi()</c>),
    /// <c>/healthz</c>, the Prometheus scrape endpoint when enabled, and every route of the contract.
    /// </summary>
    public static WebApplication UseCounterService(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseHttpLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseTenantCors();
        if (app.Services.GetRequiredService<IOptions<ThrottlingOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }

        app.UseRequestTimeouts();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        app.MapCounterTelemetry();
        app.MapCounterApi();
        return app;
    }

    /// <summary>Maps every route of <see cref="CounterRoutes"/> to its handler, over the <see cref="ICounterBackend"/> in DI.</summary>
    public static IEndpointRouteBuilder MapCounterApi(this IEndpointRouteBuilder endpoints)
    {
        // No Accepts<T>() on POST /increments: its content-type check would answer 415 before the handler, with no problem details.
        var counting = endpoints.MapGroup("/").WithTags("Counting").ProducesValidationProblem();
        counting.MapPost(CounterRoutes.Increment, CounterHandlers.IncrementAsync)
            .AsPublicIncrement().WithName("Increment").Produces<IncrementAccepted>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        counting.MapPost(CounterRoutes.Increments, CounterHandlers.IncrementManyAsync)
            .AsPublicIncrement().WithName("IncrementMany").Produces<IncrementsAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        counting.MapGet(CounterRoutes.Counters, CounterHandlers.ListCountersAsync)
            .AsPublicRead().WithName("ListCounters").Produces<CounterPage>();
        counting.MapGet(CounterRoutes.Counter, CounterHandlers.GetCounterAsync)
            .AsPublicRead().WithName("GetCounter").Produces<CounterValue>().ProducesProblem(StatusCodes.Status404NotFound);

        var inspection = endpoints.MapGroup("/").WithTags("Inspection").ProducesValidationProblem();
        inspection.MapGet(CounterRoutes.GlobalCounters, CounterHandlers.GlobalCountersAsync)
            .AsAdministration().WithName("GlobalCounters").Produces<GlobalCounters>();
        inspection.MapGet(CounterRoutes.GlobalWrites, CounterHandlers.GlobalWritesAsync)
            .AsAdministration().WithName("GlobalWrites").Produces<GlobalWrites>();
        inspection.MapGet(CounterRoutes.GlobalShardWrites, CounterHandlers.GlobalShardWritesAsync)
            .AsAdministration().WithName("GlobalShardWrites").Produces<GlobalShardWrites>();
        inspection.MapGet(CounterRoutes.GlobalShards, CounterHandlers.GlobalShardsAsync)
            .AsAdministration().WithName("GlobalShards").Produces<GlobalShards>();
        inspection.MapPost(CounterRoutes.GlobalReset, CounterHandlers.GlobalResetAsync)
            .AsAdministration().WithName("ResetCounter").Produces<ResetAccepted>(StatusCodes.Status202Accepted);
        inspection.MapGet(CounterRoutes.ShardCounters, CounterHandlers.ShardCountersAsync)
            .AsAdministration().WithName("ShardCounters").Produces<ShardView>();
        inspection.MapPost(CounterRoutes.ShardWrite, CounterHandlers.ShardWriteAsync)
            .AsAdministration().WithName("WriteShard").Produces<ShardWriteAccepted>(StatusCodes.Status202Accepted);
        inspection.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        var tenants = endpoints.MapGroup("/").WithTags("Tenants").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        tenants.MapPost(CounterRoutes.Tenants, CounterHandlers.CreateTenantAsync)
            .AsAdministration().WithName("CreateTenant").Produces<TenantKeyIssued>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        tenants.MapGet(CounterRoutes.Tenants, CounterHandlers.ListTenantsAsync)
            .AsAdministration().WithName("ListTenants").Produces<TenantList>();
        tenants.MapDelete(CounterRoutes.Tenant, CounterHandlers.DeleteTenantAsync)
            .AsAdministration().WithName("DeleteTenant").Produces(StatusCodes.Status204NoContent);
        tenants.MapPost(CounterRoutes.Tenant, CounterHandlers.CreateCounterAsync)
            .AsAdministration().WithName("CreateCounter").Produces<TenantCounterValue>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        tenants.MapGet(CounterRoutes.Tenant, CounterHandlers.ListTenantCountersAsync)
            .AsAdministration().WithName("ListTenantCounters").Produces<TenantCounterPage>();
        tenants.MapGet(CounterRoutes.TenantCounter, CounterHandlers.GetTenantCounterAsync)
            .AsPublicRead().WithName("GetTenantCounter").Produces<TenantCounterValue>();
        tenants.MapPost(CounterRoutes.TenantCounterIncrement, CounterHandlers.IncrementTenantCounterAsync)
            .AsPublicIncrement().WithName("IncrementTenantCounter").Produces<TenantIncrementAccepted>(StatusCodes.Status202Accepted).Produces<StrictResult>();
        tenants.MapPost(CounterRoutes.TenantCounterDecrement, CounterHandlers.DecrementTenantCounterAsync)
            .AsPublicIncrement().WithName("DecrementTenantCounter").Produces<TenantIncrementAccepted>(StatusCodes.Status202Accepted).Produces<StrictResult>();
        tenants.MapPut(CounterRoutes.TenantCounter, CounterHandlers.SetTenantCounterAsync)
            .AsAdministration().WithName("SetTenantCounter").Produces<TenantSetAccepted>(StatusCodes.Status202Accepted).Produces<StrictResult>();
        tenants.MapPost(CounterRoutes.TenantOperations, CounterHandlers.OperationsAsync)
            .AsAdministration().WithName("TenantOperations").Produces<StrictResult[]>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        tenants.MapDelete(CounterRoutes.TenantCounter, CounterHandlers.DeleteTenantCounterAsync)
            .AsAdministration().WithName("DeleteTenantCounter").Produces(StatusCodes.Status204NoContent);
        tenants.MapPost(CounterRoutes.TenantKeys, CounterHandlers.IssueTenantKeyAsync)
            .AsAdministration().WithName("IssueTenantKey").Produces<TenantKeyIssued>(StatusCodes.Status201Created);
        tenants.MapDelete(CounterRoutes.TenantKey, CounterHandlers.RevokeTenantKeyAsync)
            .AsAdministration().WithName("RevokeTenantKey").Produces(StatusCodes.Status204NoContent);
        tenants.MapGet(CounterRoutes.TenantCors, CounterHandlers.GetTenantOriginsAsync)
            .AsAdministration().WithName("GetTenantOrigins").Produces<TenantOriginsView>();
        tenants.MapPut(CounterRoutes.TenantCors, CounterHandlers.SetTenantOriginsAsync)
            .AsAdministration().WithName("SetTenantOrigins").Produces<TenantOriginsView>();
        return endpoints;
    }
}
