using System.Collections.Frozen;
using Counter.Core;

namespace Counter.Api;

/// <summary>An immutable view of the tenants, key hashes and tenants' origins, replaced whole when read again or changed.</summary>
internal sealed record DirectoryView(
    FrozenDictionary<string, TenantRecord> Tenants,
    FrozenDictionary<string, TenantKeyRecord> KeysByHash,
    FrozenDictionary<string, TenantOrigins> Origins,
    DateTimeOffset LoadedAt)
{
    public static DirectoryView Of(TenantDirectoryContents contents, DateTimeOffset loadedAt)
    {
        var tenants = contents.Tenants.ToFrozenDictionary(static tenant => tenant.Tenant, StringComparer.Ordinal);
        // A key whose tenant is gone (a deletion cut short) opens nothing, nor do its origins.
        var keys = contents.Keys.Where(key => tenants.ContainsKey(key.Tenant)).ToFrozenDictionary(static key => key.KeyHash, StringComparer.Ordinal);
        var origins = (contents.Origins ?? []).Where(origin => tenants.ContainsKey(origin.Tenant)).ToFrozenDictionary(static origin => origin.Tenant, StringComparer.Ordinal);
        return new DirectoryView(tenants, keys, origins, loadedAt);
    }

    public DirectoryView WithTenant(TenantRecord tenant) =>
        this with { Tenants = Tenants.Values.Where(known => known.Tenant != tenant.Tenant).Append(tenant).ToFrozenDictionary(static known => known.Tenant, StringComparer.Ordinal) };

    public DirectoryView WithoutTenant(string tenant) => this with
    {
        Tenants = Tenants.Values.Where(known => known.Tenant != tenant).ToFrozenDictionary(static known => known.Tenant, StringComparer.Ordinal),
        KeysByHash = KeysByHash.Values.Where(key => key.Tenant != tenant).ToFrozenDictionary(static key => key.KeyHash, StringComparer.Ordinal),
        Origins = Origins.Values.Where(origin => origin.Tenant != tenant).ToFrozenDictionary(static origin => origin.Tenant, StringComparer.Ordinal),
    };

    public DirectoryView WithOrigins(TenantOrigins origins) =>
        this with { Origins = Origins.Values.Where(known => known.Tenant != origins.Tenant).Append(origins).ToFrozenDictionary(static known => known.Tenant, StringComparer.Ordinal) };

    public DirectoryView WithKey(TenantKeyRecord key) =>
        this with { KeysByHash = KeysByHash.Values.Append(key).ToFrozenDictionary(static known => known.KeyHash, StringComparer.Ordinal) };

    public DirectoryView WithoutKey(string tenant, string keyId) =>
        this with { KeysByHash = KeysByHash.Values.Where(key => key.Tenant != tenant || key.KeyId != keyId).ToFrozenDictionary(static key => key.KeyHash, StringComparer.Ordinal) };
}
