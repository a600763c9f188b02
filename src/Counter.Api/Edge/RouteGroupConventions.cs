using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Counter.Api;

/// <summary>
/// Puts a mapped route in its <see cref="RouteGroup"/>: one call where the route is mapped
/// (<c>MapPost(…).AsPublicIncrement()</c>) gives it the group's concurrency limit and queue, its request timeout, and,
/// for the public groups, CORS and the per-address limit. A new route is protected by adding that one call.
/// </summary>
public static class RouteGroupConventions
{
    /// <summary>A public route that counts: throttled, timed, CORS for the tenant's (or default) origins, never for <c>*</c>.</summary>
    public static TBuilder AsPublicIncrement<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.InGroup(RouteGroup.PublicIncrements);

    /// <summary>A public route that reads: throttled, timed, CORS for the tenant's (or default) origins, <c>*</c> included.</summary>
    public static TBuilder AsPublicRead<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.InGroup(RouteGroup.PublicReads);

    /// <summary>A route behind a key: throttled and timed as administration; no CORS, so browsers on other sites cannot call it.</summary>
    public static TBuilder AsAdministration<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.InGroup(RouteGroup.Administration);

    private static TBuilder InGroup<TBuilder>(this TBuilder builder, RouteGroup group)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var isTenantRoute = endpoint is RouteEndpointBuilder route && route.RoutePattern.GetParameter(EdgeRoute.TenantParameter) is not null;
            endpoint.Metadata.Add(new EdgeRoute(group, isTenantRoute));
        });
        builder.RequireRateLimiting(EdgePolicies.Throttle(group)).WithRequestTimeout(EdgePolicies.Timeout(group));
        return group == RouteGroup.Administration ? builder : builder.RequireCors(EdgePolicies.Cors(group));
    }
}
