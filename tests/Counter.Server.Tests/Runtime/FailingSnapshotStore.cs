using System.Collections.Concurrent;
using Counter.Core;

namespace Counter.Server.Tests.Runtime;

/// <summary>
/// The real snapshot store behind a switch that makes the writes it <see cref="Refuses"/> fail, as an unreachable store
/// would (all of them until told otherwise); it records the row count of every write that went through.
/// </summary>
internal sealed class FailingSnapshotStore(ISnapshotStore store) : ISnapshotStore
{
    public volatile Func<SnapshotBatch, bool> Refuses = _ => true;

    public ConcurrentQueue<int> WrittenRowCounts { get; } = new();

    public async Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        if (Refuses(batch))
        {
            throw new IOException("The snapshot store is unreachable.");
        }

        await store.WriteAsync(batch, cancellationToken);
        WrittenRowCounts.Enqueue(batch.Rows.Count);
    }

    public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken) => store.RemoveTenantAsync(tenant, cancellationToken);

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) => store.ReadAsync(counter, cancellationToken);

    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ReadPageAsync(tenant, prefix, continuationToken, pageSize, cancellationToken);
}
