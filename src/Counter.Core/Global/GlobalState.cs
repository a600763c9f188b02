using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>What the global entity keeps: the totals, what the snapshot store has not seen yet, and per-shard progress.</summary>
public sealed class GlobalState
{
    /// <summary>The recent merges kept by all global partitions together, about (see <see cref="RecentMergeLimitOf"/>).</summary>
    public const int RecentMergeLimit = 100;

    /// <summary>
    /// How many recent merges each of <paramref name="partitions"/> global entities keeps: its share of
    /// <see cref="RecentMergeLimit"/>, rounded up. Together they keep about as many as one entity did, enough for the
    /// latest <see cref="RecentMergeLimit"/> of all that inspection shows. Each keeping all of them would make every
    /// partition's state, written after each of its batches, mostly merge records.
    /// </summary>
    public static int RecentMergeLimitOf(int partitions) => (RecentMergeLimit + Math.Max(1, partitions) - 1) / Math.Max(1, partitions);

    public Dictionary<CounterKey, long> Totals { get; set; } = [];

    /// <summary>Counters changed since the last snapshot.</summary>
    public HashSet<CounterKey> Dirty { get; set; } = [];

    /// <summary>
    /// Counters whose total or dirtiness changed since a host last took them (<see cref="GlobalStateEntries.TakeChanged"/>);
    /// not part of the state, so hosts that keep the state whole never see it.
    /// </summary>
    [JsonIgnore]
    public HashSet<CounterKey> Changed { get; } = [];

    /// <summary>Counters deleted since the last snapshot, whose rows the next snapshot removes from the read path.</summary>
    public HashSet<CounterKey> Removed { get; set; } = [];

    /// <summary>Counters deleted on their own, and when: deltas still arriving for them are dropped.</summary>
    public Dictionary<CounterKey, DateTimeOffset> DeletedCounters { get; set; } = [];

    /// <summary>Tenants deleted, and when: deltas still arriving for their counters are dropped.</summary>
    public Dictionary<string, DateTimeOffset> DeletedTenants { get; set; } = [];

    /// <summary>Deltas of deleted counters that arrived in flushes and were dropped.</summary>
    public long DroppedDeltas { get; set; }

    /// <summary>Merge bookkeeping per shard key.</summary>
    public Dictionary<string, ShardProgress> Shards { get; set; } = [];

    /// <summary>The latest merges, newest last, at most <see cref="RecentMergeLimitOf"/> the partition count.</summary>
    public List<MergeRecord> RecentMerges { get; set; } = [];

    public long MergesSinceSnapshot { get; set; }

    /// <summary>Version of the last snapshot emitted; every snapshot row carries the version it was written in.</summary>
    public long SnapshotVersion { get; set; }

    /// <summary>When the armed snapshot timer fires; null while nothing is dirty.</summary>
    public DateTimeOffset? SnapshotDueAt { get; set; }

    /// <summary>Flushes that arrived again and were ignored.</summary>
    public long DuplicateFlushes { get; set; }

    /// <summary>
    /// How many global partitions the totals were split over when this entity last worked (0: before partitions existed,
    /// which is one). A host checks it on start: see <see cref="GlobalPartitions.ProblemWith"/>.
    /// </summary>
    public int Partitions { get; set; }
}

/// <summary>Which flushes of one shard were merged: all up to <see cref="AppliedThrough"/>, and those in <see cref="AppliedAhead"/>.</summary>
public sealed class ShardProgress
{
    public long AppliedThrough { get; set; }

    /// <summary>Sequence numbers above <see cref="AppliedThrough"/> that arrived out of order, ascending.</summary>
    public List<long> AppliedAhead { get; set; } = [];

    public long Merges { get; set; }

    public long Increments { get; set; }
}

/// <summary>One merge, for inspection.</summary>
public sealed record MergeRecord(string Shard, long Sequence, int Counters, long Increments, DateTimeOffset At);
