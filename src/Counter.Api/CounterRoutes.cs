namespace Counter.Api;

/// <summary>
/// The route table of the HTTP contract, without a leading slash so that Azure Functions' <c>Route</c> takes them
/// as they are (with <c>routePrefix</c> ""), and the self-contained host maps the very same strings.
/// </summary>
public static class CounterRoutes
{
    public const string Increment = "increment/{counter}";
    public const string Increments = "increments";
    public const string Counters = "counters";
    public const string Counter = "counters/{counter}";
    public const string GlobalCounters = "global/counters";
    public const string GlobalWrites = "global/writes";
    public const string GlobalShardWrites = "global/shardWrites";
    public const string GlobalShards = "global/shards";
    public const string GlobalReset = "global/reset/{counter}";
    public const string ShardCounters = "shard/{n}/counters";
    public const string ShardWrite = "shard/{n}/write";
    public const string Tenants = "tenants";
    public const string Tenant = "tenants/{tenant}";
    public const string TenantCounter = "tenants/{tenant}/{counter}";
    public const string TenantCounterIncrement = "tenants/{tenant}/{counter}/inc";
    public const string TenantCounterDecrement = "tenants/{tenant}/{counter}/dec";
    public const string TenantOperations = "tenants/{tenant}/ops";
    public const string TenantKeys = "tenants/{tenant}/keys";
    public const string TenantKey = "tenants/{tenant}/keys/{keyId}";

    /// <summary>Four segments, so that no counter's name (<c>tenants/{tenant}/{counter}</c>) is shadowed by it.</summary>
    public const string TenantCors = "tenants/{tenant}/settings/cors";
}
