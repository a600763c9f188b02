namespace Counter.Api;

/// <summary>Body of <c>PUT /tenants/{tenant}/settings/cors</c>: the origins that replace the tenant's (empty: none).</summary>
public sealed record SetTenantOriginsRequest(IReadOnlyList<string?>? Origins);

/// <summary>A tenant's allowed browser origins, as <c>GET</c> and <c>PUT /tenants/{tenant}/settings/cors</c> answer.</summary>
public sealed record TenantOriginsView(string Tenant, IReadOnlyList<string> Origins);
