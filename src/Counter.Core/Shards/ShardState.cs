namespace Counter.Core;

/// <summary>What a shard entity keeps: increments buffered since its last flush to the global entity.</summary>
public sealed class ShardState
{
    /// <summary>Buffered deltas, summed per counter.</summary>
    public Dictionary<CounterKey, long> Pending { get; set; } = [];

    /// <summary>How many increments the buffer holds (what <see cref="CounterOptions.ShardMinIncrementsToGlobal"/> counts).</summary>
    public long PendingIncrements { get; set; }

    /// <summary>The sequence number the next flush carries; the global entity applies each one once.</summary>
    public long NextSequence { get; set; } = 1;

    /// <summary>When the armed flush timer fires; null while nothing is buffered.</summary>
    public DateTimeOffset? FlushDueAt { get; set; }
}
