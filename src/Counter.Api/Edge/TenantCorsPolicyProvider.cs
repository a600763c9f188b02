using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// ASP.NET Core's CORS middleware asks this for the policy of a public route: the origins of the route's tenant, from
/// the in-memory <see cref="TenantDirectory"/> (no storage round trip), or <c>Cors:DefaultTenantOrigins</c> for the
/// seed routes. Increments allow only listed origins, reads also <c>*</c>. A public route always gets a policy, one
/// allowing no origin when none is set, so that a preflight is answered (without CORS headers) and never reaches the
/// route's handler. Routes without a CORS policy (administration) get none: their preflights are refused (405).
/// </summary>
internal sealed class TenantCorsPolicyProvider(TenantDirectory directory, IOptions<PublicCorsOptions> options) : ICorsPolicyProvider
{
    private readonly IReadOnlyList<string> defaultOrigins = [.. options.Value.DefaultTenantOrigins];
    private readonly TimeSpan preflightMaxAge = options.Value.PreflightMaxAge;

    // Policies are built once per origin list: a tenant's list is one object until it is set again.
    private readonly ConditionalWeakTable<IReadOnlyList<string>, GroupPolicies> policies = [];

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<EdgeRoute>() is not { Group: not RouteGroup.Administration } route)
        {
            return null;
        }

        var origins = defaultOrigins;
        if (route.IsTenantRoute)
        {
            var tenant = context.Request.RouteValues[EdgeRoute.TenantParameter] as string ?? string.Empty;
            origins = (await directory.FindOriginsAsync(tenant, context.RequestAborted).ConfigureAwait(false))?.Origins ?? [];
        }

        var built = policies.GetValue(origins, list => new GroupPolicies(Build(list, anyAllowed: false, "POST"), Build(list, anyAllowed: true, "GET", "HEAD")));
        return route.Group == RouteGroup.PublicIncrements ? built.Increments : built.Reads;
    }

    private CorsPolicy Build(IReadOnlyList<string> origins, bool anyAllowed, params string[] methods)
    {
        var builder = new CorsPolicyBuilder().WithMethods(methods).WithHeaders("Content-Type").SetPreflightMaxAge(preflightMaxAge);
        if (anyAllowed && origins.Contains(BrowserOrigins.Any))
        {
            return builder.AllowAnyOrigin().Build();
        }

        return builder.WithOrigins([.. origins.Where(static origin => origin != BrowserOrigins.Any)]).Build();
    }

    private sealed record GroupPolicies(CorsPolicy Increments, CorsPolicy Reads);
}
