namespace Counter.Core;

/// <summary>What an operation may know besides its state and input: who it is, the options, and the time it runs at.</summary>
public readonly record struct EntityContext(EntityAddress Self, CounterOptions Options, DateTimeOffset Now);
