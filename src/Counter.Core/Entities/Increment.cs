namespace Counter.Core;

/// <summary>Add <paramref name="Delta"/> (may be negative) to <paramref name="Counter"/>.</summary>
public readonly record struct Increment(CounterKey Counter, long Delta);
