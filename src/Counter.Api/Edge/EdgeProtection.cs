using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// The protection every ASP.NET Core host of the contract puts in front of its routes, all of it ASP.NET Core's own
/// middleware configured per <see cref="RouteGroup"/>: forwarded headers (who the client is), one log line per request,
/// CORS, a concurrency limit with a FIFO queue per group and a token bucket per address (rate limiting), and request
/// timeouts. The options are validated on start and read once.
/// </summary>
public static class EdgeProtection
{
    /// <summary>Registers the options and the middleware's services; <see cref="CounterApiExtensions.UseCounterService"/> puts them in the pipeline.</summary>
    public static IServiceCollection AddEdgeProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThrottlingOptions>().Bind(configuration.GetSection(ThrottlingOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddOptions<PerAddressOptions>().Bind(configuration.GetSection(PerAddressOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddOptions<PublicCorsOptions>().Bind(configuration.GetSection(PublicCorsOptions.SectionName)).ValidateProblemsOnStart(static options => options.Validate());
        services.AddMetrics();
        services.TryAddSingleton<EdgeMetrics>();
        services.TryAddSingleton<EdgeRefusals>();

        services.AddRateLimiter(static _ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ThrottlingOptions>, IOptions<PerAddressOptions>, TimeProvider, EdgeRefusals>(ConfigureLimits);
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ThrottlingOptions>, EdgeRefusals>(ConfigureTimeouts);
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, TenantCorsPolicyProvider>());
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>(ConfigureProxies);
        services.AddHttpLogging(static options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        services.AddHttpLoggingInterceptor<RequestLogInterceptor>();
        return services;
    }

    private static void ConfigureLimits(RateLimiterOptions options, IOptions<ThrottlingOptions> throttling, IOptions<PerAddressOptions> perAddress, TimeProvider time, EdgeRefusals refusals)
    {
        foreach (var group in Enum.GetValues<RouteGroup>())
        {
            options.AddPolicy(EdgePolicies.Throttle(group), new ThrottlingPolicy(group, throttling.Value.For(group), time, refusals));
        }

        options.GlobalLimiter = new PerAddressGlobalLimiter(perAddress.Value);
        options.OnRejected = (rejected, _) => new ValueTask(refusals.RateLimitedAsync(
            rejected.HttpContext, rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EdgeRoute>()?.GroupName ?? "none", rejected.Lease));
    }

    private static void ConfigureTimeouts(RequestTimeoutOptions options, IOptions<ThrottlingOptions> throttling, EdgeRefusals refusals)
    {
        foreach (var group in Enum.GetValues<RouteGroup>())
        {
            options.AddPolicy(EdgePolicies.Timeout(group), new RequestTimeoutPolicy
            {
                Timeout = throttling.Value.For(group).RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => refusals.TimedOutAsync(context, group),
            });
        }
    }

    private static void ConfigureProxies(ForwardedHeadersOptions options, IOptions<ProxyOptions> proxies)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
        var listed = proxies.Value;
        if (listed.KnownProxies.Count + listed.KnownNetworks.Count == 0)
        {
            return;
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in listed.ParsedProxies())
        {
            options.KnownProxies.Add(proxy);
        }

        foreach (var network in listed.ParsedNetworks())
        {
            options.KnownIPNetworks.Add(network);
        }
    }
}
