namespace Counter.Core;

/// <summary>
/// The read path: where snapshots of the totals are written to and read from. SQLite and Table Storage implement it.
/// Reads throw <see cref="SnapshotStoreUnavailableException"/> while the store cannot be reached.
/// </summary>
public interface ISnapshotStore
{
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Upserts every row, except where the store already holds the same counter at a higher or equal version:
    /// replays and late writes of old snapshots never overwrite newer totals. Then removes the rows of
    /// <see cref="SnapshotBatch.Removed"/> held at a lower version than the batch's.
    /// </summary>
    Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken);

    /// <summary>Removes every row of <paramref name="tenant"/>, whatever its version (the tenant was deleted).</summary>
    Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>One counter, or null if it was never snapshotted.</summary>
    Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken);

    /// <summary>
    /// A tenant's counters ordered by name, at most <paramref name="pageSize"/> (≤ <see cref="MaxPageSize"/>) a page;
    /// with <paramref name="prefix"/>, only those whose names start with it.
    /// </summary>
    Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}
