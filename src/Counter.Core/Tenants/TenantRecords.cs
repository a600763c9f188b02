namespace Counter.Core;

/// <summary>A tenant: a name that follows <see cref="KeyRules"/> (at most <see cref="KeyRules.MaxTenantLength"/> characters).</summary>
public sealed record TenantRecord(string Tenant, DateTimeOffset CreatedAt);

/// <summary>
/// A tenant key as it is kept: never the key itself, only the hex SHA-256 of it (<see cref="KeyHash"/>), and the id
/// that names it for rotation.
/// </summary>
public sealed record TenantKeyRecord(string Tenant, string KeyId, string KeyHash, DateTimeOffset CreatedAt);

/// <summary>
/// A counter created in a tenant, with the value its total started from and its <paramref name="Mode"/>. A strict
/// counter's value lives in its record (see <see cref="IStrictCounterStore"/>); a sharded one's in the entities.
/// </summary>
public sealed record CounterRecord(CounterKey Counter, long InitialValue, DateTimeOffset CreatedAt, CounterMode Mode = CounterMode.Sharded);

/// <summary>
/// Sharded counters are buffered in shards and read from snapshots (fast, eventually consistent); strict ones are
/// changed atomically in their record and read from it (every answer exact at once).
/// </summary>
public enum CounterMode
{
    Sharded,
    Strict,
}

/// <summary>One page of tenants, ordered by name, and the token that continues after it (null on the last page).</summary>
public sealed record TenantPage(IReadOnlyList<TenantRecord> Tenants, string? ContinuationToken);

/// <summary>
/// Every tenant and every tenant key: what a process keeps in memory to check keys without a storage round trip; and
/// the tenants' allowed browser origins, so that answering CORS costs none either (none listed: none set).
/// </summary>
public sealed record TenantDirectoryContents(IReadOnlyList<TenantRecord> Tenants, IReadOnlyList<TenantKeyRecord> Keys, IReadOnlyList<TenantOrigins>? Origins = null);

/// <summary>
/// The origins a tenant allows to call its public routes from a browser (CORS), as its operator or key holder set
/// them: <c>scheme://host[:port]</c> each, or <c>*</c> for reads from anywhere. Empty: no browser calls.
/// </summary>
public sealed record TenantOrigins(string Tenant, IReadOnlyList<string> Origins);
