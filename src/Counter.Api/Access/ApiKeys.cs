using System.Security.Cryptography;
using System.Text;

namespace Counter.Api;

/// <summary>
/// How keys are made and kept. A key is 256 random bits, base64url; only its SHA-256 (hex, lower case) is ever stored
/// or configured. A key of that strength needs no slow password hash: nobody can guess it, so a hash only has to be
/// one-way.
/// </summary>
public static class ApiKeys
{
    public const string HeaderName = "X-API-Key";

    /// <summary>The development operator key whose hash <c>appsettings.Development.json</c> holds; refused outside Development.</summary>
    public const string DevelopmentKey = "counter-dev-operator-key";

    /// <summary>Longer keys are refused before hashing: no key this service makes or documents comes near.</summary>
    public const int MaxKeyLength = 256;

    public static string NewKey() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A key's public name, for rotation: random, so it tells nothing about the key.</summary>
    public static string NewKeyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Whether two hex hashes are equal, in time that does not depend on where they differ.</summary>
    public static bool SameHash(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(left), Encoding.ASCII.GetBytes(right));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
