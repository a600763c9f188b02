namespace Counter.Api;

/// <summary>
/// Endpoint metadata: the route's group, and whether it is a tenant's route (it names <c>{tenant}</c>) or one of the
/// default tenant's seed routes. The rate limiter, CORS and the request log read it from the matched endpoint.
/// </summary>
public sealed record EdgeRoute(RouteGroup Group, bool IsTenantRoute)
{
    /// <summary>The route value that names a tenant in the contract's routes.</summary>
    public const string TenantParameter = "tenant";

    /// <summary>The group's name as options, policies, metrics and logs spell it (<c>PublicIncrements</c>).</summary>
    public string GroupName => NameOf(Group);

    public static string NameOf(RouteGroup group) => group switch
    {
        RouteGroup.PublicIncrements => nameof(RouteGroup.PublicIncrements),
        RouteGroup.PublicReads => nameof(RouteGroup.PublicReads),
        _ => nameof(RouteGroup.Administration),
    };
}
