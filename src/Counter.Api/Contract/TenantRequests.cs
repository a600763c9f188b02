namespace Counter.Api;

/// <summary>Body of <c>POST /tenants</c>.</summary>
public sealed record CreateTenantRequest(string? Tenant);

/// <summary>Body of <c>POST /tenants/{tenant}</c>; the total starts at <paramref name="InitialValue"/> (0 when left out).</summary>
public sealed record CreateCounterRequest(string? Counter, long? InitialValue);
