using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// What both tenant stores accept, checked before anything is stored, so that they refuse the same things: a tenant
/// follows <see cref="KeyRules"/> like a counter's tenant, and a key id follows them too (it is part of a Table
/// Storage RowKey, which forbids <c>/ \ # ?</c> and control characters).
/// </summary>
internal static class TenantArguments
{
    public const int MaxKeyIdLength = 64;

    /// <summary>The tenant, or <see cref="InvalidCounterKeyException"/> naming the tenant field.</summary>
    public static string Tenant(string? tenant) =>
        KeyRules.Explain(tenant, KeyRules.MaxTenantLength) is { } reason ? throw new InvalidCounterKeyException(KeyRules.TenantField, tenant, reason) : tenant!;

    /// <summary>The key id, or an <see cref="ArgumentException"/>: ids are the service's own, so a bad one is a bug, not a bad request.</summary>
    public static string KeyId(string? keyId) =>
        KeyRules.Explain(keyId, MaxKeyIdLength) is { } reason ? throw new ArgumentException($"The key id '{keyId}' {reason}.", nameof(keyId)) : keyId!;

    public static TenantRecord Check(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Tenant(tenant.Tenant);
        return tenant;
    }

    public static TenantKeyRecord Check(TenantKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Tenant(key.Tenant);
        KeyId(key.KeyId);
        ArgumentException.ThrowIfNullOrEmpty(key.KeyHash, nameof(key));
        return key;
    }

    /// <summary>A tenant and its first key, which must be the tenant's.</summary>
    public static void Check(TenantRecord tenant, TenantKeyRecord firstKey)
    {
        Check(tenant);
        Check(firstKey);
        if (!string.Equals(tenant.Tenant, firstKey.Tenant, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The first key is of tenant '{firstKey.Tenant}', not of '{tenant.Tenant}'.", nameof(firstKey));
        }
    }

    /// <summary>
    /// A tenant's origins: each non-empty, without white space or control characters (the Table store keeps them as
    /// one property, a line each). What an origin is, the contract checks before.
    /// </summary>
    public static TenantOrigins Check(TenantOrigins origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        Tenant(origins.Tenant);
        ArgumentNullException.ThrowIfNull(origins.Origins, nameof(origins));
        foreach (var origin in origins.Origins)
        {
            if (string.IsNullOrEmpty(origin) || origin.Any(static character => char.IsWhiteSpace(character) || char.IsControl(character)))
            {
                throw new ArgumentException($"The origin '{origin}' is empty or holds white space or control characters.", nameof(origins));
            }
        }

        return origins;
    }

    public static void CheckPageSize(int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, ITenantStore.MaxPageSize);
    }
}
