namespace Counter.Api;

/// <summary>
/// The route groups the service protects differently: browsers and scripts hammer the public increments, read the
/// public counters, and operators administer. Each group has its own concurrency limit, queue and request timeout
/// (<see cref="ThrottlingOptions"/>), so that a flood of one cannot starve the others.
/// </summary>
public enum RouteGroup
{
    /// <summary><c>POST /increment/{counter}</c>, <c>/increments</c>, <c>/tenants/{tenant}/{counter}/inc</c>: public, CORS, per-address limits.</summary>
    PublicIncrements,

    /// <summary><c>GET /counters</c>, <c>/counters/{counter}</c>, <c>/tenants/{tenant}/{counter}</c>: public, CORS, per-address limits.</summary>
    PublicReads,

    /// <summary>Everything behind a key: the tenants' administration, <c>/global/*</c>, <c>/shard/*</c>. Never answers CORS.</summary>
    Administration,
}
