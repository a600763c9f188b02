using System.Globalization;

namespace Counter.Api;

/// <summary>The operator keys, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// <c>Admin:KeyHashes</c>: the SHA-256 of each operator key, 64 hex digits (make one with
    /// <c>key=$(openssl rand -base64 32); printf %s "$key" | sha256sum</c>). Several may be configured, so that a key can be
    /// replaced without downtime. None configured: every operator route answers 401.
    /// </summary>
    public IList<string> KeyHashes { get; } = [];

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate(bool isDevelopment)
    {
        var problems = new List<string>();
        for (var index = 0; index < KeyHashes.Count; index++)
        {
            var hash = KeyHashes[index];
            if (hash is not { Length: 64 } || !hash.All(Uri.IsHexDigit))
            {
                // The value itself stays out of the message: it may be a key pasted where its hash belongs.
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(KeyHashes)}:{index} must be the SHA-256 of a key as 64 hex digits."));
            }
            else if (!isDevelopment && ApiKeys.SameHash(hash.ToLowerInvariant(), ApiKeys.Hash(ApiKeys.DevelopmentKey)))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{SectionName}:{nameof(KeyHashes)}:{index} is the hash of the documented development key, which everyone knows; it is accepted only in the Development environment. Configure the hash of a key of your own."));
            }
        }

        return problems;
    }
}
