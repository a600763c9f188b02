using Counter.Core;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Counter.Api;

/// <summary>
/// The tenants, their key hashes and their counters, over the <see cref="ITenantStore"/>, with what the hot path needs
/// in memory: a key check or a counter's existence costs no storage round trip once known. Tenants and keys are read
/// whole and refreshed every <see cref="TenantOptions.RefreshInterval"/> in the background (a stale view keeps serving
/// meanwhile); counters are remembered, present or absent, for that long, at most <see cref="TenantOptions.CounterCacheSize"/>.
/// Whatever this process changes, it sees at once.
/// </summary>
public sealed partial class TenantDirectory : IDisposable
{
    private readonly ITenantStore store;
    private readonly TenantOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<TenantDirectory> logger;
    private readonly MemoryCache counters;
    private readonly SemaphoreSlim loading = new(1, 1);
    private readonly Lock changing = new();
    private volatile DirectoryView? view;
    private long changes;
    private int refreshing;

    public TenantDirectory(ITenantStore store, IOptions<TenantOptions> options, TimeProvider time, ILogger<TenantDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        counters = new MemoryCache(new MemoryCacheOptions { SizeLimit = this.options.CounterCacheSize });
    }

    /// <summary>The tenant key of <paramref name="keyHash"/>, or null when no tenant holds it.</summary>
    public async ValueTask<TenantKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        var current = await ViewAsync(cancellationToken).ConfigureAwait(false);
        return current.KeysByHash.GetValueOrDefault(keyHash);
    }

    /// <summary>The tenant, or null; one this process has not seen yet is looked up in the store (administration only).</summary>
    public async ValueTask<TenantRecord?> FindTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var current = await ViewAsync(cancellationToken).ConfigureAwait(false);
        return current.Tenants.TryGetValue(tenant, out var known)
            ? known
            : await store.ReadTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The origins the tenant allows for browser calls, from memory (as keys are: no storage round trip, another
    /// process's change seen within the refresh interval); null when it set none or does not exist.
    /// </summary>
    public async ValueTask<TenantOrigins?> FindOriginsAsync(string tenant, CancellationToken cancellationToken)
    {
        var current = await ViewAsync(cancellationToken).ConfigureAwait(false);
        return current.Origins.GetValueOrDefault(tenant);
    }

    /// <summary>Replaces the tenant's allowed origins; false when the tenant does not exist.</summary>
    public async Task<bool> SetOriginsAsync(TenantOrigins origins, CancellationToken cancellationToken)
    {
        if (!await store.SetOriginsAsync(origins, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Change(current => current.WithOrigins(origins));
        return true;
    }

    /// <summary>The counter, or null when it was never created, remembered either way.</summary>
    public async ValueTask<CounterRecord?> FindCounterAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        if (counters.TryGetValue(counter, out CounterRecord? known))
        {
            return known;
        }

        var stored = await store.ReadCounterAsync(counter, cancellationToken).ConfigureAwait(false);
        Remember(counter, stored);
        return stored;
    }

    public Task<TenantPage> ListTenantsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.ListTenantsAsync(continuationToken, pageSize, cancellationToken);

    /// <summary>Creates the tenant and its first key; null when the tenant exists.</summary>
    public async Task<IssuedKey?> CreateTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var issued = NewKey(tenant, now);
        if (!await store.TryCreateTenantAsync(new TenantRecord(tenant, now), issued.Record, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Change(current => current.WithTenant(new TenantRecord(tenant, now)).WithKey(issued.Record));
        return issued;
    }

    /// <summary>
    /// Removes the tenant, its keys and its counters from the store; false when it did not exist. What this process
    /// remembered of its counters goes with it.
    /// </summary>
    public async Task<bool> DeleteTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        Change(current => current.WithoutTenant(tenant));
        // A cache cannot be searched by tenant; deleting a tenant is rare enough to forget every counter instead.
        counters.Clear();
        return deleted;
    }

    /// <summary>Issues another key of an existing tenant; null when the tenant does not exist.</summary>
    public async Task<IssuedKey?> IssueKeyAsync(string tenant, CancellationToken cancellationToken)
    {
        var issued = NewKey(tenant, time.GetUtcNow());
        if (!await store.TryAddKeyAsync(issued.Record, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Change(current => current.WithKey(issued.Record));
        return issued;
    }

    /// <summary>Revokes a key: from now on, here at once, elsewhere within the refresh interval. False when there was no such key.</summary>
    public async Task<bool> RevokeKeyAsync(string tenant, string keyId, CancellationToken cancellationToken)
    {
        var revoked = await store.DeleteKeyAsync(tenant, keyId, cancellationToken).ConfigureAwait(false);
        Change(current => current.WithoutKey(tenant, keyId));
        return revoked;
    }

    /// <summary>Creates a counter; false when it exists.</summary>
    public async Task<bool> CreateCounterAsync(CounterRecord counter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counter);
        if (!await store.TryCreateCounterAsync(counter, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Remember(counter.Counter, counter);
        return true;
    }

    /// <summary>Removes every counter of the tenant; what this process remembered of counters goes with them.</summary>
    public async Task ClearCountersAsync(string tenant, CancellationToken cancellationToken)
    {
        await store.ClearCountersAsync(tenant, cancellationToken).ConfigureAwait(false);
        counters.Clear();
    }

    /// <summary>Removes a counter; false when it did not exist.</summary>
    public async Task<bool> DeleteCounterAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteCounterAsync(counter, cancellationToken).ConfigureAwait(false);
        Remember(counter, null);
        return deleted;
    }

    public void Dispose()
    {
        counters.Dispose();
        loading.Dispose();
    }

    private static IssuedKey NewKey(string tenant, DateTimeOffset now)
    {
        var key = ApiKeys.NewKey();
        return new IssuedKey(key, new TenantKeyRecord(tenant, ApiKeys.NewKeyId(), ApiKeys.Hash(key), now));
    }

    private void Remember(CounterKey counter, CounterRecord? record) =>
        counters.Set(counter, record, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = options.RefreshInterval });

    /// <summary>Applies a change this process made to its view, so that it holds before the next refresh.</summary>
    private void Change(Func<DirectoryView, DirectoryView> change)
    {
        lock (changing)
        {
            changes++;
            if (view is { } current)
            {
                view = change(current);
            }
        }
    }

    private async ValueTask<DirectoryView> ViewAsync(CancellationToken cancellationToken)
    {
        var current = view;
        if (current is null)
        {
            return await LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (time.GetUtcNow() - current.LoadedAt >= options.RefreshInterval && Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = RefreshInBackgroundAsync();
        }

        return current;
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await LoadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (TenantStoreUnavailableException exception)
        {
            LogRefreshFailed(exception);
        }
        finally
        {
            Volatile.Write(ref refreshing, 0);
        }
    }

    private async Task<DirectoryView> LoadAsync(CancellationToken cancellationToken)
    {
        await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var startedAt = time.GetUtcNow();
            if (view is { } fresh && startedAt - fresh.LoadedAt < options.RefreshInterval)
            {
                return fresh;
            }

            long changesBefore;
            lock (changing)
            {
                changesBefore = changes;
            }

            var contents = await store.ReadDirectoryAsync(cancellationToken).ConfigureAwait(false);
            lock (changing)
            {
                // A change made while reading may or may not be in what was read: the view that has it stays, and
                // the one just read is marked stale, so the next request reads again.
                if (changes != changesBefore)
                {
                    view = view ?? DirectoryView.Of(contents, DateTimeOffset.MinValue);
                    view = view with { LoadedAt = DateTimeOffset.MinValue };
                    return view;
                }

                view = DirectoryView.Of(contents, startedAt);
                return view;
            }
        }
        finally
        {
            loading.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the tenant directory again failed; the view read before keeps serving.")]
    private partial void LogRefreshFailed(Exception exception);
}
