namespace Counter.Core;

/// <summary>
/// The first answer to each idempotency key, kept until it expires, per scope (a tenant's name; the default tenant's for
/// the seed routes). Keys are kept as their SHA-256, so any key of 1–255 visible ASCII characters fits any store.
/// Mutations of strict counters store theirs with the mutation itself (<see cref="IStrictCounterStore"/>); others
/// after the mutation is durable, where a crash in between is absorbed by the mutation (a shard remembers the keys of
/// the increments it applied).
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>The unexpired record of <paramref name="key"/> in <paramref name="scope"/> at <paramref name="now"/>, or null.</summary>
    Task<IdempotencyRecord?> ReadIdempotencyAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores the record unless an unexpired one of its key exists; false then, and nothing changed.</summary>
    Task<bool> TrySaveIdempotencyAsync(IdempotencyRecord record, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// The answer first given to a request with an idempotency key, and the <see cref="Fingerprint"/> of that request
/// (method, route and body hashed), which a retry must match.
/// </summary>
public sealed record IdempotencyRecord(string Scope, string Key, string Fingerprint, int Status, string Body, DateTimeOffset ExpiresAt);
