using Counter.Core;

namespace Counter.Api;

/// <summary>
/// What the cache holds for one counter: nothing yet (a read of the store is under way), "not found", or a row. It only
/// ever moves to a higher version, whichever comes first of the read that created it and the writes that find it, so a
/// read that started before a write and ends after it cannot put the older row back over the write's.
/// </summary>
internal sealed class CachedCounter
{
    /// <summary>The state "the store has no row for this counter", lower than any row.</summary>
    private static readonly object NotFound = new();

    /// <summary>null while unknown, <see cref="NotFound"/>, or a <see cref="SnapshotRow"/>.</summary>
    private object? state;

    /// <summary>The row held, null when the store had none; false while nothing is known yet.</summary>
    public bool TryGet(out SnapshotRow? row)
    {
        var current = Volatile.Read(ref state);
        row = current as SnapshotRow;
        return current is not null;
    }

    /// <summary>
    /// Keeps <paramref name="row"/> (null: the store has none) unless a row of a higher or equal version is already held,
    /// and returns what is held then: the newest the store is known to have had.
    /// </summary>
    public SnapshotRow? Offer(SnapshotRow? row)
    {
        var offered = (object?)row ?? NotFound;
        while (true)
        {
            var current = Volatile.Read(ref state);
            if (current is not null && VersionOf(current) >= VersionOf(offered))
            {
                return current as SnapshotRow;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref state, offered, current), current))
            {
                return row;
            }
        }
    }

    private static long VersionOf(object state) => state is SnapshotRow row ? row.Version : long.MinValue;
}
