namespace Counter.Core;

/// <summary>A counter's absolute total as of snapshot <paramref name="Version"/>. A store keeps the row with the highest version.</summary>
public sealed record SnapshotRow(CounterKey Counter, long Value, long Version, DateTimeOffset UpdatedAt);

/// <summary>
/// The rows of one snapshot, ordered by counter key, and the counters deleted since the last one (<paramref name="Removed"/>),
/// whose rows go unless the store holds them at this version or a higher one.
/// </summary>
public sealed record SnapshotBatch(long Version, DateTimeOffset At, IReadOnlyList<SnapshotRow> Rows, IReadOnlyList<CounterKey>? Removed = null);

/// <summary>One page of a tenant's counters and the token that continues after it (null on the last page).</summary>
public sealed record SnapshotPage(IReadOnlyList<SnapshotRow> Rows, string? ContinuationToken);
