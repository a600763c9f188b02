namespace Counter.Api;

/// <summary>The names of each group's rate limiting, request timeout and CORS policies, as the endpoints ask for them.</summary>
internal static class EdgePolicies
{
    public static string Throttle(RouteGroup group) => "throttle:" + EdgeRoute.NameOf(group);

    public static string Timeout(RouteGroup group) => "timeout:" + EdgeRoute.NameOf(group);

    public static string Cors(RouteGroup group) => "cors:" + EdgeRoute.NameOf(group);
}
