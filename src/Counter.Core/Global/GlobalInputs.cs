namespace Counter.Core;

/// <summary>Input of <see cref="GlobalOperations.Tick"/>: the snapshot version a debounce timer was armed for.</summary>
public sealed record SnapshotTick(long Version);

/// <summary>Input of <see cref="GlobalOperations.Reset"/>.</summary>
public sealed record ResetCounter(CounterKey Counter);

/// <summary>Input of <see cref="GlobalOperations.Resnapshot"/>: counters whose snapshot a host could not write and wants written again.</summary>
public sealed record ResnapshotCounters(IReadOnlyList<CounterKey> Counters);
