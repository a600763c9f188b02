using System.Buffers.Text;
using System.Text;
using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// The opaque continuation token of a snapshot page: the last counter name of the page, base64url-encoded.
/// A page continues strictly after that name, so it never skips or repeats a counter while counters are added.
/// </summary>
public static class SnapshotContinuationToken
{
    public static string After(string lastName) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastName));

    /// <summary>The name a token continues after; <see cref="InvalidContinuationTokenException"/> for a token no page issued.</summary>
    public static string NameIn(string token)
    {
        try
        {
            var name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
            return KeyRules.Explain(name, KeyRules.MaxNameLength) is null ? name : throw new InvalidContinuationTokenException(token);
        }
        catch (Exception exception) when (exception is FormatException or DecoderFallbackException)
        {
            throw new InvalidContinuationTokenException(token);
        }
    }
}
