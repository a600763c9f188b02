namespace Counter.Core;

/// <summary>Input of <see cref="GlobalOperations.Tick"/>: the snapshot version a debounce timer was armed for.</summary>
public sealed record SnapshotTick(long Version);

/// <summary>Input of <see cref="GlobalOperations.Reset"/>.</summary>
public sealed record ResetCounter(CounterKey Counter);

/// <summary>Input of <see cref="GlobalOperations.Resnapshot"/>: counters whose snapshot a host could not write and wants written again.</summary>
public sealed record ResnapshotCounters(IReadOnlyList<CounterKey> Counters);

/// <summary>Input of <see cref="GlobalOperations.Create"/>: a counter created in a tenant, and where its total starts.</summary>
public sealed record CreateCounter(CounterKey Counter, long InitialValue);

/// <summary>Input of <see cref="GlobalOperations.Delete"/>.</summary>
public sealed record DeleteCounter(CounterKey Counter);

/// <summary>Input of <see cref="GlobalOperations.DeleteTenant"/>.</summary>
public sealed record DeleteTenant(string Tenant);

/// <summary>Input of <see cref="GlobalOperations.Set"/>.</summary>
public sealed record SetCounter(CounterKey Counter, long Value);
