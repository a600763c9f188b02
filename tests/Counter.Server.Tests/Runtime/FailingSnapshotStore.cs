using Counter.Core;

namespace Counter.Server.Tests.Runtime;

/// <summary>The real snapshot store behind a switch that makes its writes fail, as an unreachable store would.</summary>
internal sealed class FailingSnapshotStore(ISnapshotStore store) : ISnapshotStore
{
    public volatile bool Failing = true;

    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken) => Failing
        ? Task.FromException(new IOException("The snapshot store is unreachable."))
        : store.WriteAsync(batch, cancellationToken);

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) => store.ReadAsync(counter, cancellationToken);

    public Task<SnapshotPage> ReadPageAsync(string tenant, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ReadPageAsync(tenant, continuationToken, pageSize, cancellationToken);
}
