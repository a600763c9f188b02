namespace Counter.Core;

/// <summary>Something an entity operation asks its host to carry out once the operation's new state is kept.</summary>
public abstract record EntityEffect;

/// <summary>
/// Deliver <paramref name="Operation"/> with <paramref name="Input"/> to <paramref name="Target"/>,
/// at <paramref name="At"/> when given (a scheduled signal), otherwise as soon as possible.
/// </summary>
public sealed record SignalEffect(EntityAddress Target, string Operation, object? Input, DateTimeOffset? At = null) : EntityEffect;

/// <summary>Write these absolute totals to the snapshot store (the read path).</summary>
public sealed record SnapshotEffect(SnapshotBatch Batch) : EntityEffect;
