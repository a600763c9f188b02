using Counter.Core;

namespace Counter.Api.Tests.Reads;

/// <summary>
/// The real store whose next read, once it has read the row, waits for <see cref="Release"/>: a read of the store that
/// a write overtakes.
/// </summary>
internal sealed class GatedReads(ISnapshotStore store) : ISnapshotStore
{
    public TaskCompletionSource<SnapshotRow?> ReadDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var row = await store.ReadAsync(counter, cancellationToken);
        ReadDone.SetResult(row);
        await Release.Task;
        return row;
    }

    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken) => store.WriteAsync(batch, cancellationToken);

    public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken) => store.RemoveTenantAsync(tenant, cancellationToken);

    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ReadPageAsync(tenant, prefix, continuationToken, pageSize, cancellationToken);
}

/// <summary>
/// The real store, except that removing a tenant is only recorded: what the cache does then is what is tested here,
/// the store's removal is tested with the store.
/// </summary>
internal sealed class RecordedTenantRemovals(ISnapshotStore store) : ISnapshotStore
{
    public List<string> Tenants { get; } = [];

    public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        Tenants.Add(tenant);
        return Task.CompletedTask;
    }

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) => store.ReadAsync(counter, cancellationToken);

    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken) => store.WriteAsync(batch, cancellationToken);

    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ReadPageAsync(tenant, prefix, continuationToken, pageSize, cancellationToken);
}
