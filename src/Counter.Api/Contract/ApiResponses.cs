namespace Counter.Api;

/// <summary>Answer to <c>POST /increment/{counter}</c>: the increment is durable on <paramref name="Shard"/>.</summary>
public sealed record IncrementAccepted(string Counter, int Shard);

/// <summary>Answer to <c>POST /increments</c>: all <paramref name="Counters"/> increments are durable on <paramref name="Shard"/>.</summary>
public sealed record IncrementsAccepted(int Counters, int Shard);

/// <summary>One page of <c>GET /counters</c>; <paramref name="ContinuationToken"/> fetches the next one, null on the last.</summary>
public sealed record CounterPage(IReadOnlyDictionary<string, long> Counters, string? ContinuationToken);

/// <summary>Answer to <c>GET /counters/{counter}</c>.</summary>
public sealed record CounterValue(string Counter, long Value, long Version, DateTimeOffset UpdatedAt);

/// <summary>
/// Answer to <c>GET /global/counters</c>: the totals of every global partition, ahead of the read path by up to one
/// snapshot; the latest snapshot version and the next snapshot due of any partition; and each partition on its own.
/// </summary>
public sealed record GlobalCounters(IReadOnlyDictionary<string, long> Counters, long SnapshotVersion, DateTimeOffset? SnapshotDueAt, IReadOnlyList<PartitionView> Partitions);

/// <summary>One global partition: its number, the counters it keeps, its snapshot version and next snapshot due.</summary>
public sealed record PartitionView(int Partition, IReadOnlyDictionary<string, long> Counters, long SnapshotVersion, DateTimeOffset? SnapshotDueAt);

/// <summary>Answer to <c>GET /global/writes</c>: the latest merges of every partition, newest last.</summary>
public sealed record GlobalWrites(IReadOnlyList<MergeView> Writes, long DuplicateFlushesIgnored);

public sealed record MergeView(int Partition, string Shard, long Sequence, int Counters, long Increments, DateTimeOffset At);

/// <summary>Answer to <c>GET /global/shardWrites</c>: merges per shard summed over partitions, their sum, and merges per shard of each partition.</summary>
public sealed record GlobalShardWrites(IReadOnlyDictionary<string, long> Shards, long Total, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Partitions);

/// <summary>What one shard holds now (<c>GET /shard/{n}/counters</c>, and each item of <c>GET /global/shards</c>).</summary>
public sealed record ShardView(string Shard, IReadOnlyDictionary<string, long> Counters, long PendingIncrements, long NextSequence, DateTimeOffset? FlushDueAt, long DuplicateAddsIgnored);

/// <summary>Answer to <c>GET /global/shards</c>: every shard that exists, including shards beyond the current ShardCount.</summary>
public sealed record GlobalShards(int ShardCount, IReadOnlyList<ShardView> Shards);

/// <summary>Answer to the operator's POST routes: what was signalled.</summary>
public sealed record ShardWriteAccepted(int Shard);

public sealed record ResetAccepted(string Counter);
