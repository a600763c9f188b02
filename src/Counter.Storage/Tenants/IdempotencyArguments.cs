using System.Security.Cryptography;
using System.Text;
using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// What both stores accept of idempotency records, and how they name a key: by its SHA-256 in lowercase hex, never the
/// key itself, which may hold characters a Table Storage RowKey forbids (and need not sit in a file in clear).
/// A scope is a tenant's name, so it follows <see cref="KeyRules"/> like one.
/// </summary>
internal static class IdempotencyArguments
{
    /// <summary>The hex SHA-256 of the key's UTF-8 bytes: 64 characters whatever the key.</summary>
    public static string KeyHash(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    public static string Scope(string scope) => TenantArguments.Tenant(scope);

    /// <summary>Checks the record and returns the hash of its key.</summary>
    public static string KeyHashOf(IdempotencyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Scope(record.Scope);
        ArgumentNullException.ThrowIfNull(record.Fingerprint, nameof(record));
        ArgumentNullException.ThrowIfNull(record.Body, nameof(record));
        return KeyHash(record.Key);
    }
}
