using System.Collections.Concurrent;
using Azure;

namespace Counter.Storage;

/// <summary>
/// The version and ETag of the rows a <see cref="TableSnapshotStore"/> wrote or read, so that it can write them again,
/// conditional on that ETag, without reading them first. It is only a guess: another process or a deleted table makes
/// it stale, the conditional write then fails (409, 412 or 404) and the store reads and decides again. At most
/// <see cref="Capacity"/> rows are remembered (~200 bytes each); past that, new rows are read before they are written,
/// as every row is without this.
/// </summary>
internal sealed class WrittenRows
{
    /// <summary>About 50 MB at most: room for the 100,000 counters of the benchmarks and then some.</summary>
    public const int Capacity = 250_000;

    private readonly ConcurrentDictionary<(string PartitionKey, string RowKey), (long Version, ETag ETag)> rows = new();

    public bool IsFull => rows.Count >= Capacity;

    public bool TryGet(string partitionKey, string rowKey, out (long Version, ETag ETag) written) =>
        rows.TryGetValue((partitionKey, rowKey), out written);

    /// <summary>Remembers a row as written or read, unless full; a row already remembered is updated even then.</summary>
    public void Remember(string partitionKey, string rowKey, long version, ETag etag)
    {
        if (etag == default)
        {
            Forget(partitionKey, rowKey);
            return;
        }

        if (!IsFull || rows.ContainsKey((partitionKey, rowKey)))
        {
            rows[(partitionKey, rowKey)] = (version, etag);
        }
    }

    public void Forget(string partitionKey, string rowKey) => rows.TryRemove((partitionKey, rowKey), out _);

    public void Clear() => rows.Clear();
}
