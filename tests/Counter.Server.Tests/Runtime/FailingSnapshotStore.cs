using System.Collections.Concurrent;
using Counter.Core;

namespace Counter.Server.Tests.Runtime;

/// <summary>
/// The real snapshot store behind a switch that makes its writes fail, as an unreachable store would, once
/// <see cref="WritesBeforeFailing"/> writes went through; it records the row count of every write that went through.
/// </summary>
internal sealed class FailingSnapshotStore(ISnapshotStore store) : ISnapshotStore
{
    public volatile bool Failing = true;

    public int WritesBeforeFailing { get; init; }

    public ConcurrentQueue<int> WrittenRowCounts { get; } = new();

    public async Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        if (Failing && WrittenRowCounts.Count >= WritesBeforeFailing)
        {
            throw new IOException("The snapshot store is unreachable.");
        }

        await store.WriteAsync(batch, cancellationToken);
        WrittenRowCounts.Enqueue(batch.Rows.Count);
    }

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) => store.ReadAsync(counter, cancellationToken);

    public Task<SnapshotPage> ReadPageAsync(string tenant, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ReadPageAsync(tenant, continuationToken, pageSize, cancellationToken);
}
