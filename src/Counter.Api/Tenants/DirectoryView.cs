using System.Collections.Frozen;
using Counter.Core;

namespace Counter.Api;

/// <summary>An immutable view of the tenants and key hashes, replaced whole when read again or changed.</summary>
internal sealed record DirectoryView(
    FrozenDictionary<string, TenantRecord> Tenants,
    FrozenDictionary<string, TenantKeyRecord> KeysByHash,
    DateTimeOffset LoadedAt)
{
    public static DirectoryView Of(TenantDirectoryContents contents, DateTimeOffset loadedAt)
    {
        var tenants = contents.Tenants.ToFrozenDictionary(static tenant => tenant.Tenant, StringComparer.Ordinal);
        // A key whose tenant is gone (a deletion cut short) opens nothing.
        var keys = contents.Keys.Where(key => tenants.ContainsKey(key.Tenant)).ToFrozenDictionary(static key => key.KeyHash, StringComparer.Ordinal);
        return new DirectoryView(tenants, keys, loadedAt);
    }

    public DirectoryView WithTenant(TenantRecord tenant) =>
        this with { Tenants = Tenants.Values.Where(known => known.Tenant != tenant.Tenant).Append(tenant).ToFrozenDictionary(static known => known.Tenant, StringComparer.Ordinal) };

    public DirectoryView WithoutTenant(string tenant) => this with
    {
        Tenants = Tenants.Values.Where(known => known.Tenant != tenant).ToFrozenDictionary(static known => known.Tenant, StringComparer.Ordinal),
        KeysByHash = KeysByHash.Values.Where(key => key.Tenant != tenant).ToFrozenDictionary(static key => key.KeyHash, StringComparer.Ordinal),
    };

    public DirectoryView WithKey(TenantKeyRecord key) =>
        this with { KeysByHash = KeysByHash.Values.Append(key).ToFrozenDictionary(static known => known.KeyHash, StringComparer.Ordinal) };

    public DirectoryView WithoutKey(string tenant, string keyId) =>
        this with { KeysByHash = KeysByHash.Values.Where(key => key.Tenant != tenant || key.KeyId != keyId).ToFrozenDictionary(static key => key.KeyHash, StringComparer.Ordinal) };
}
