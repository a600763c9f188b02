namespace Counter.Core;

/// <summary>Input of <see cref="ShardOperations.Add"/>: one or many increments, applied all together.</summary>
public sealed record AddIncrements(IReadOnlyList<Increment> Increments);

/// <summary>Input of <see cref="ShardOperations.Tick"/>: the flush a debounce timer was armed for.</summary>
public sealed record FlushTick(long Sequence);

/// <summary>Input of <see cref="GlobalOperations.Merge"/>: what a shard hands over, summed per counter.</summary>
public sealed record ShardFlush(string Shard, long Sequence, long IncrementCount, IReadOnlyList<Increment> Deltas);
