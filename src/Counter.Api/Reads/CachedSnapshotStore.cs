using Counter.Core;
using Microsoft.Extensions.Caching.Memory;

namespace Counter.Api;

/// <summary>
/// The read path behind a bounded in-memory cache of single counters, so that hot <c>GET /counters/{counter}</c> reads
/// (and floods of reads of counters that do not exist) are answered without the snapshot store. A read is served from
/// the cache for at most <see cref="ReadCacheOptions.TimeToLive"/> after the store was asked, and the snapshots this
/// process writes through it update what it holds as soon as the store has them, so a cached value is never older than
/// the read path's own lag plus the time to live. It holds only what the store held or was just given: never an
/// increment that is not durable. Pages (<c>GET /counters</c>) are not cached.
/// </summary>
public sealed class CachedSnapshotStore : ISnapshotStore, IDisposable
{
    private readonly ISnapshotStore inner;
    private readonly MemoryCache cache;
    private readonly MemoryCacheEntryOptions entryOptions;

    public CachedSnapshotStore(ISnapshotStore inner, ReadCacheOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SizeLimit, 1);
        this.inner = inner;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.SizeLimit, Clock = new TimeProviderClock(timeProvider) });
        // Absolute, not sliding: a hot counter is read from the store again once per time to live, which bounds how
        // stale it can be when another process writes its snapshots.
        entryOptions = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = options.TimeToLive };
    }

    /// <summary>Counters held now, found or not (for tests and diagnostics).</summary>
    public int Count => cache.Count;

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        object key = counter;
        if (cache.TryGetValue(key, out var held) && held is CachedCounter cached)
        {
            if (cached.TryGet(out var row))
            {
                return Task.FromResult(row);
            }

            // Another read of the store for it is under way: read as well, and both offer what they found.
            return ReadThroughAsync(counter, cached, cancellationToken);
        }

        // In the cache before the store is read, so that a write finishing meanwhile finds it and leaves its row there.
        cached = new CachedCounter();
        cache.Set(key, cached, entryOptions);
        return ReadThroughAsync(counter, cached, cancellationToken);
    }

    /// <summary>
    /// Writes to the store, then updates the counters the cache holds with the rows written (never to a lower version)
    /// and drops the removed ones, so that this process's reads show its own snapshots at once. Counters the cache does
    /// not hold are not added: a write of many cold counters would push the hot ones out.
    /// </summary>
    public async Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await inner.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        foreach (var row in batch.Rows)
        {
            if (cache.TryGetValue(row.Counter, out var held) && held is CachedCounter cached)
            {
                cached.Offer(row);
            }
        }

        foreach (var removed in batch.Removed ?? [])
        {
            cache.Remove(removed);
        }
    }

    /// <summary>
    /// Removes the tenant's rows from the store, then every counter of the tenant from the cache (by walking its keys:
    /// tenants are deleted rarely), also when the store failed part way, so that nothing the store may have removed is
    /// served afterwards.
    /// </summary>
    public async Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        try
        {
            await inner.RemoveTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var key in cache.Keys)
            {
                if (key is CounterKey counter && string.Equals(counter.Tenant, tenant, StringComparison.Ordinal))
                {
                    cache.Remove(key);
                }
            }
        }
    }

    /// <summary>Not cached: a page is read rarely compared with single counters, and caching it would need every write to find the pages it changes.</summary>
    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        inner.ReadPageAsync(tenant, prefix, continuationToken, pageSize, cancellationToken);

    public void Dispose() => cache.Dispose();

    private async Task<SnapshotRow?> ReadThroughAsync(CounterKey counter, CachedCounter cached, CancellationToken cancellationToken)
    {
        var row = await inner.ReadAsync(counter, cancellationToken).ConfigureAwait(false);
        return cached.Offer(row);
    }
}
