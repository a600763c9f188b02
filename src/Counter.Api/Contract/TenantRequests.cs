namespace Counter.Api;

/// <summary>Body of <c>POST /tenants</c>.</summary>
public sealed record CreateTenantRequest(string? Tenant);

/// <summary>
/// Body of <c>POST /tenants/{tenant}</c>; the total starts at <paramref name="InitialValue"/> (0 when left out);
/// <paramref name="Mode"/> is <c>sharded</c> (when left out) or <c>strict</c>.
/// </summary>
public sealed record CreateCounterRequest(string? Counter, long? InitialValue, string? Mode);

/// <summary>Body of <c>PUT /tenants/{tenant}/{counter}</c>.</summary>
public sealed record SetCounterRequest(long? Value);

/// <summary>
/// One operation of <c>POST /tenants/{tenant}/ops</c>: <c>{"op":"inc_if","counter":"exports","by":1,"if":{"lt":100}}</c>.
/// <paramref name="By"/> for inc/dec/inc_if (default 1), <paramref name="Value"/> for set/set_if, <paramref name="If"/>
/// (one comparator: eq, ne, gt, ge, lt, le) for inc_if/set_if.
/// </summary>
public sealed record OperationRequest(string? Op, string? Counter, long? By, long? Value, Dictionary<string, long>? If);
