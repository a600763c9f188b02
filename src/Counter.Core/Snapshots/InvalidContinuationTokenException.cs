namespace Counter.Core;

/// <summary>A continuation token that no <see cref="ISnapshotStore"/> page handed out. Hosts answer it with 400.</summary>
public sealed class InvalidContinuationTokenException(string? token)
    : ArgumentException($"The continuation token '{token}' is not one this service issued.");
