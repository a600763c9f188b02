namespace Counter.Core;

/// <summary>What a shard entity keeps: increments buffered since its last flush to the global entity.</summary>
public sealed class ShardState
{
    /// <summary>Buffered deltas, summed per counter.</summary>
    public Dictionary<CounterKey, long> Pending { get; set; } = [];

    /// <summary>How many increments the buffer holds (what <see cref="ShardOperations.IncrementsToFlush"/> is compared with).</summary>
    public long PendingIncrements { get; set; }

    /// <summary>
    /// The number of the next flush, which its debounce timer names. With one global partition it is also the sequence
    /// number that flush carries; the global entity applies each one once.
    /// </summary>
    public long NextSequence { get; set; } = 1;

    /// <summary>
    /// With several global partitions: the sequence number of the next flush to each partition (absent: 1). Each partition
    /// is sent only the flushes that hold its counters, so each needs gapless sequences of its own.
    /// </summary>
    public Dictionary<int, long> PartitionSequences { get; set; } = [];

    /// <summary>
    /// The adds applied per sender, for adds that carry a sender and a sequence (the Durable hosts' signals, which their
    /// backend may deliver again after a crash): each is applied once.
    /// </summary>
    public Dictionary<string, SenderProgress> Senders { get; set; } = [];

    /// <summary>Adds that arrived again and were ignored.</summary>
    public long DuplicateAdds { get; set; }

    /// <summary>The idempotency keys (hashed) of the adds applied, and until when each is remembered.</summary>
    public Dictionary<string, DateTimeOffset> IdempotencyKeys { get; set; } = [];

    /// <summary>When the armed flush timer fires; null while nothing is buffered.</summary>
    public DateTimeOffset? FlushDueAt { get; set; }
}
