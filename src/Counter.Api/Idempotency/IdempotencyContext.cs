using Counter.Core;

namespace Counter.Api;

/// <summary>A mutation under an idempotency key: the key (hashed), the request's fingerprint, and until when its answer is kept.</summary>
public sealed class IdempotencyContext(string scope, string keyHash, string fingerprint, DateTimeOffset now, DateTimeOffset expiresAt)
{
    public string Scope { get; } = scope;

    public string KeyHash { get; } = keyHash;

    public string Fingerprint { get; } = fingerprint;

    public DateTimeOffset Now { get; } = now;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>Whether the answer was stored with the mutation itself (a strict batch), so nothing is left to store after it.</summary>
    public bool StoredWithMutation { get; private set; }

    /// <summary>A claim for a store that keeps the answer in the mutation's own transaction.</summary>
    public IdempotencyClaim Claim(Func<StrictOutcome, StoredAnswer> answer)
    {
        StoredWithMutation = true;
        return new IdempotencyClaim(Scope, KeyHash, Fingerprint, Now, ExpiresAt, answer);
    }
}
