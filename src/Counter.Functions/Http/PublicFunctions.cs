using Counter.Api;

namespace Counter.Functions.Http;

/// <summary>
/// The public functions and the route groups they stand for, as <c>MapCounterApi</c> puts the same routes in groups
/// with <c>AsPublicIncrement()</c>/<c>AsPublicRead()</c>: the Functions app runs no ASP.NET Core endpoint metadata, so
/// its worker middleware looks a function up here by name (the endpoint names). Any function not listed is
/// administration. A public function added to <see cref="CounterFunctions"/> is one line here.
/// </summary>
internal static class PublicFunctions
{
    private static readonly Dictionary<string, EdgeRoute> Routes = new(StringComparer.Ordinal)
    {
        ["Increment"] = new(RouteGroup.PublicIncrements, IsTenantRoute: false),
        ["IncrementMany"] = new(RouteGroup.PublicIncrements, IsTenantRoute: false),
        ["ListCounters"] = new(RouteGroup.PublicReads, IsTenantRoute: false),
        ["GetCounter"] = new(RouteGroup.PublicReads, IsTenantRoute: false),
        ["IncrementTenantCounter"] = new(RouteGroup.PublicIncrements, IsTenantRoute: true),
        ["DecrementTenantCounter"] = new(RouteGroup.PublicIncrements, IsTenantRoute: true),
        ["GetTenantCounter"] = new(RouteGroup.PublicReads, IsTenantRoute: true),
    };

    /// <summary>The function's public route group, or null for administration (and the entity triggers).</summary>
    public static EdgeRoute? Of(string functionName) => Routes.GetValueOrDefault(functionName);
}
