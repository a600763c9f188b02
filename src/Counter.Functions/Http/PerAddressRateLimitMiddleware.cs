using System.Threading.RateLimiting;
using Counter.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace Counter.Functions.Http;

/// <summary>
/// The per-address rate limit of the public routes in the Functions app, where ASP.NET Core's rate limiting middleware
/// does not run: the same token buckets (<see cref="PerAddressLimits"/>), the same <c>RateLimits:PerAddress</c>
/// options and the same 429 problem details with <c>Retry-After</c>. The address is the connection's as the worker's
/// ASP.NET Core integration sets it: it applies the platform's <c>X-Forwarded-For</c> (the front end's view of the
/// client) itself. The buckets are per instance: with N instances an address gets up to N times its rate; a limit
/// across instances belongs in Azure Front Door or API Management.
/// </summary>
internal sealed class PerAddressRateLimitMiddleware : IFunctionsWorkerMiddleware, IDisposable
{
    private readonly PerAddressOptions options;
    private readonly EdgeRefusals refusals;
    private readonly PartitionedRateLimiter<string> buckets;

    public PerAddressRateLimitMiddleware(IOptions<PerAddressOptions> options, EdgeRefusals refusals)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.refusals = refusals;
        buckets = PerAddressLimits.Create(this.options);
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (PublicFunctions.Of(context.FunctionDefinition.Name) is { } route && options.AppliesTo(route) && context.GetHttpContext() is { } http)
        {
            using var lease = buckets.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (!lease.IsAcquired)
            {
                await refusals.RateLimitedAsync(http, route.GroupName, lease).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    public void Dispose() => buckets.Dispose();
}
