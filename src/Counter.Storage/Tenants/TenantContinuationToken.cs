using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// The opaque continuation token of a page of tenants: the last tenant of the page, base64url-encoded, as
/// <see cref="SnapshotContinuationToken"/> does with counter names. A page continues strictly after that tenant.
/// </summary>
public static class TenantContinuationToken
{
    public static string After(string lastTenant) => SnapshotContinuationToken.After(lastTenant);

    /// <summary>The tenant a token continues after; <see cref="InvalidContinuationTokenException"/> for a token no page issued.</summary>
    public static string TenantIn(string token)
    {
        var tenant = SnapshotContinuationToken.NameIn(token);
        return KeyRules.Explain(tenant, KeyRules.MaxTenantLength) is null ? tenant : throw new InvalidContinuationTokenException(token);
    }
}
