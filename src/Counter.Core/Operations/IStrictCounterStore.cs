namespace Counter.Core;

/// <summary>
/// Where strict counters live: in their counter records of the <see cref="ITenantStore"/> (created with
/// <see cref="CounterMode.Strict"/>, deleted with <see cref="ITenantStore.DeleteCounterAsync"/>), changed atomically.
/// SQLite applies a batch in one transaction, group-committed; Table Storage with ETag optimistic concurrency, a batch as
/// one entity group transaction in the tenant's partition. Throws <see cref="TenantStoreUnavailableException"/> while
/// the store cannot be reached.
/// </summary>
public interface IStrictCounterStore
{
    /// <summary>A strict counter's value now, or null when there is no strict counter of that key.</summary>
    Task<StrictValue?> ReadStrictAsync(CounterKey counter, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="operations"/> (each on a counter of <paramref name="tenant"/>) by <see cref="StrictBatch.Apply"/>
    /// against the values held, and stores the changes, all or nothing, retrying when another writer changed them first.
    /// With a <paramref name="claim"/>, its answer to the outcome is stored in the same transaction, unless the key already
    /// has an unexpired record: then that record is returned and nothing is applied. A refused batch stores nothing, its
    /// claim included.
    /// </summary>
    Task<StrictApplied> ApplyStrictAsync(string tenant, IReadOnlyList<CounterOperation> operations, IdempotencyClaim? claim, CancellationToken cancellationToken);
}

/// <summary>A strict counter's value and when it last changed.</summary>
public sealed record StrictValue(CounterKey Counter, long Value, DateTimeOffset UpdatedAt);

/// <summary>The outcome of a batch applied now, or the record of an earlier request with the same idempotency key.</summary>
public sealed record StrictApplied(StrictOutcome? Outcome, IdempotencyRecord? Replayed);

/// <summary>
/// An idempotency key claimed with a mutation: stored with the answer <see cref="Answer"/> makes of the mutation's outcome,
/// in the same transaction as the mutation, until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record IdempotencyClaim(string Scope, string Key, string Fingerprint, DateTimeOffset Now, DateTimeOffset ExpiresAt, Func<StrictOutcome, StoredAnswer> Answer);

/// <summary>An HTTP answer as kept for replay: its status and its JSON body.</summary>
public sealed record StoredAnswer(int Status, string Body);
