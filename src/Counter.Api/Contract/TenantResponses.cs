namespace Counter.Api;

/// <summary>
/// Answer to <c>POST /tenants</c> and <c>POST /tenants/{tenant}/keys</c>: a tenant key, shown this once (only its hash
/// is kept), and the id that revokes it.
/// </summary>
public sealed record TenantKeyIssued(string Tenant, string KeyId, string? Key, DateTimeOffset CreatedAt);

/// <summary>One page of <c>GET /tenants</c>; <paramref name="ContinuationToken"/> fetches the next one, null on the last.</summary>
public sealed record TenantList(IReadOnlyList<TenantSummary> Tenants, string? ContinuationToken);

public sealed record TenantSummary(string Tenant, DateTimeOffset CreatedAt);

/// <summary>One page of <c>GET /tenants/{tenant}</c>: the tenant's counters and their values on the read path.</summary>
public sealed record TenantCounterPage(string Tenant, IReadOnlyDictionary<string, long> Counters, string? ContinuationToken);

/// <summary>Answer to <c>GET /tenants/{tenant}/{counter}</c> and <c>POST /tenants/{tenant}</c>; <paramref name="Mode"/> is <c>sharded</c> or <c>strict</c>.</summary>
public sealed record TenantCounterValue(string Tenant, string Counter, long Value, DateTimeOffset UpdatedAt, string Mode);

/// <summary>Answer to <c>POST /tenants/{tenant}/{counter}/inc|dec</c> on a sharded counter: the change is durable on <paramref name="Shard"/>.</summary>
public sealed record TenantIncrementAccepted(string Tenant, string Counter, int Shard);

/// <summary>Answer to <c>PUT /tenants/{tenant}/{counter}</c> on a sharded counter: its global entity will set it to <paramref name="Value"/>.</summary>
public sealed record TenantSetAccepted(string Tenant, string Counter, long Value);

/// <summary>
/// One operation's answer on a strict counter: the value after it and before it, and whether it was applied (an
/// <c>inc_if</c>/<c>set_if</c> whose condition did not hold is not).
/// </summary>
public sealed record StrictResult(string Op, string Counter, long Value, long Previous, bool Applied);
