namespace Counter.Core;

/// <summary>
/// Where tenants, their key hashes and their counters are kept: SQLite in the embedded host, Table Storage in the
/// Durable hosts. Every method throws <see cref="TenantStoreUnavailableException"/> while the store cannot be reached.
/// A method that answers false changed nothing. Tenant names follow <see cref="KeyRules"/> (else
/// <see cref="InvalidCounterKeyException"/>), and so do key ids, of at most 64 characters (else <see cref="ArgumentException"/>).
/// </summary>
public interface ITenantStore
{
    public const int MaxPageSize = 1000;

    /// <summary>Creates the tenant together with its first key, both or neither; false if the tenant exists.</summary>
    Task<bool> TryCreateTenantAsync(TenantRecord tenant, TenantKeyRecord firstKey, CancellationToken cancellationToken);

    /// <summary>The tenant, or null if it does not exist.</summary>
    Task<TenantRecord?> ReadTenantAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Tenants ordered by name, at most <paramref name="pageSize"/> (≤ <see cref="MaxPageSize"/>) a page; a bad token throws <see cref="InvalidContinuationTokenException"/>.</summary>
    Task<TenantPage> ListTenantsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Every tenant and key, and the origins of the tenants that set any, for the in-memory directory.</summary>
    Task<TenantDirectoryContents> ReadDirectoryAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes the tenant's counters, then its keys, then the tenant: a removal cut short leaves a tenant that still
    /// exists, so deleting again finishes it. False if the tenant did not exist.
    /// </summary>
    Task<bool> DeleteTenantAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Removes every counter of the tenant, strict and sharded; the tenant and its keys stay.</summary>
    Task ClearCountersAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Adds a key to an existing tenant; false if the tenant does not exist or already has a key of that id.</summary>
    Task<bool> TryAddKeyAsync(TenantKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Removes a key; false if the tenant has no key of that id.</summary>
    Task<bool> DeleteKeyAsync(string tenant, string keyId, CancellationToken cancellationToken);

    /// <summary>Creates a counter in an existing tenant; false if the counter exists. The caller checks that the tenant exists.</summary>
    Task<bool> TryCreateCounterAsync(CounterRecord counter, CancellationToken cancellationToken);

    /// <summary>The counter, or null if it was never created (or was deleted).</summary>
    Task<CounterRecord?> ReadCounterAsync(CounterKey counter, CancellationToken cancellationToken);

    /// <summary>Removes a counter; false if it did not exist.</summary>
    Task<bool> DeleteCounterAsync(CounterKey counter, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the tenant's allowed browser origins (empty: none); false if the tenant does not exist. They go with
    /// the tenant when it is deleted.
    /// </summary>
    Task<bool> SetOriginsAsync(TenantOrigins origins, CancellationToken cancellationToken);
}
