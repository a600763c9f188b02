namespace Counter.Api;

/// <summary>Answer to <c>POST /increment/{counter}</c>: the increment is durable on <paramref name="Shard"/>.</summary>
public sealed record IncrementAccepted(string Counter, int Shard);

/// <summary>Answer to <c>POST /increments</c>: all <paramref name="Counters"/> increments are durable on <paramref name="Shard"/>.</summary>
public sealed record IncrementsAccepted(int Counters, int Shard);

/// <summary>One page of <c>GET /counters</c>; <paramref name="ContinuationToken"/> fetches the next one, null on the last.</summary>
public sealed record CounterPage(IReadOnlyDictionary<string, long> Counters, string? ContinuationToken);

/// <summary>Answer to <c>GET /counters/{counter}</c>.</summary>
public sealed record CounterValue(string Counter, long Value, long Version, DateTimeOffset UpdatedAt);

/// <summary>Answer to <c>GET /global/counters</c>: the global entity's totals, ahead of the read path by up to one snapshot.</summary>
public sealed record GlobalCounters(IReadOnlyDictionary<string, long> Counters, long SnapshotVersion, DateTimeOffset? SnapshotDueAt);

/// <summary>Answer to <c>GET /global/writes</c>: the latest merges, newest last.</summary>
public sealed record GlobalWrites(IReadOnlyList<MergeView> Writes, long DuplicateFlushesIgnored);

public sealed record MergeView(string Shard, long Sequence, int Counters, long Increments, DateTimeOffset At);

/// <summary>Answer to <c>GET /global/shardWrites</c>: merges per shard and their sum.</summary>
public sealed record GlobalShardWrites(IReadOnlyDictionary<string, long> Shards, long Total);

/// <summary>What one shard holds now (<c>GET /shard/{n}/counters</c>, and each item of <c>GET /global/shards</c>).</summary>
public sealed record ShardView(string Shard, IReadOnlyDictionary<string, long> Counters, long PendingIncrements, long NextSequence, DateTimeOffset? FlushDueAt);

/// <summary>Answer to <c>GET /global/shards</c>: every shard that exists, including shards beyond the current ShardCount.</summary>
public sealed record GlobalShards(int ShardCount, IReadOnlyList<ShardView> Shards);

/// <summary>Answer to the operator's POST routes: what was signalled.</summary>
public sealed record ShardWriteAccepted(int Shard);

public sealed record ResetAccepted(string Counter);
