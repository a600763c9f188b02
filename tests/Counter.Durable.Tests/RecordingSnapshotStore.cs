using Counter.Core;

namespace Counter.Durable.Tests;

/// <summary>
/// A sink for the snapshots the global entity writes (the store itself is tested with the storage projects).
/// It refuses writes while <see cref="Failing"/> is set, as a store whose retries are exhausted does.
/// </summary>
internal sealed class RecordingSnapshotStore : ISnapshotStore
{
    public List<SnapshotBatch> Written { get; } = [];

    public bool Failing { get; set; }

    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new IOException("The snapshot store is unavailable.");
        }

        Written.Add(batch);
        return Task.CompletedTask;
    }

    public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The entity shell only writes snapshots.");

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The entity shell only writes snapshots.");

    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The entity shell only writes snapshots.");
}
