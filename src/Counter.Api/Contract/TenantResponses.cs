namespace Counter.Api;

/// <summary>
/// Answer to <c>POST /tenants</c> and <c>POST /tenants/{tenant}/keys</c>: a tenant key, shown this once (only its hash
/// is kept), and the id that revokes it.
/// </summary>
public sealed record TenantKeyIssued(string Tenant, string KeyId, string Key, DateTimeOffset CreatedAt);

/// <summary>One page of <c>GET /tenants</c>; <paramref name="ContinuationToken"/> fetches the next one, null on the last.</summary>
public sealed record TenantList(IReadOnlyList<TenantSummary> Tenants, string? ContinuationToken);

public sealed record TenantSummary(string Tenant, DateTimeOffset CreatedAt);

/// <summary>One page of <c>GET /tenants/{tenant}</c>: the tenant's counters and their values on the read path.</summary>
public sealed record TenantCounterPage(string Tenant, IReadOnlyDictionary<string, long> Counters, string? ContinuationToken);

/// <summary>Answer to <c>GET /tenants/{tenant}/{counter}</c> and <c>POST /tenants/{tenant}</c>.</summary>
public sealed record TenantCounterValue(string Tenant, string Counter, long Value, DateTimeOffset UpdatedAt);

/// <summary>Answer to <c>POST /tenants/{tenant}/{counter}/inc</c>: the increment is durable on <paramref name="Shard"/>.</summary>
public sealed record TenantIncrementAccepted(string Tenant, string Counter, int Shard);
