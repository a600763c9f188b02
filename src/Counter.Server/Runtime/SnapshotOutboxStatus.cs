namespace Counter.Server.Runtime;

/// <summary>How the delivery of snapshots to the read path is going: what waits, and the latest failure while failing.</summary>
public sealed record SnapshotOutboxStatus(int Backlog, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastFailureAt)
{
    public bool IsFailing => ConsecutiveFailures > 0;
}
