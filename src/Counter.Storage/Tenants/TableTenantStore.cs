using System.Data;
using Azure;
using Azure.Data.Tables;
using Counter.Core;
using Counter.Storage.Tables;

namespace Counter.Storage;

/// <summary>
/// The Durable hosts' tenant store, in two tables of its own beside the snapshot table (see
/// <see cref="TableStorageOptions.TenantsTableName"/> and <see cref="TableStorageOptions.TenantCountersTableName"/>).
/// In the tenants table a tenant's row (RowKey <c>tenant</c>, <c>CreatedAt</c>) and its keys' rows (RowKey
/// <c>key~{keyId}</c>, <c>KeyHash</c>, <c>CreatedAt</c>) share the PartitionKey <c>{KeyPrefix}~{tenant}</c>, so that a
/// tenant and its first key are one entity group transaction. The counters table has one row per created counter:
/// PartitionKey <c>{KeyPrefix}~{tenant}</c>, RowKey its name, <c>InitialValue</c> (Int64), <c>CreatedAt</c> and
/// <c>Mode</c> (<c>Sharded</c>, or <c>Strict</c> with the counter's <c>Value</c> and <c>UpdatedAt</c>; a row without
/// a mode is sharded).
/// A tenant's allowed browser origins are the tenant row's <c>Origins</c>, one a line, so that they go with the row.
/// </summary>
/// <remarks>
/// Adding a key merges the tenant's row in the key's transaction, which fails if the tenant is gone and changes the
/// row's ETag. Deleting a tenant removes its row conditional on the ETag it read, in one transaction with its last keys:
/// a key added meanwhile makes the deletion start over rather than outlive its tenant and open a new tenant of the same
/// name. Tables are created on first use, and again if deleted, as the snapshot store's is. An outage is reported as
/// <see cref="TenantStoreUnavailableException"/>; any other failure as a <see cref="RequestFailedException"/> naming
/// the table, the entity's keys and the status. Not for a Native AOT host, which the SDK does not support.
/// </remarks>
public sealed partial class TableTenantStore : ITenantStore
{
    private const int MaxQueryPageSize = 1000;
    private const int MaxDeleteAttempts = 8;

    /// <summary>
    /// How often a write that other writers keep beating to the same rows (a 409 or 412 on its ETags) starts over
    /// before it gives up as <see cref="TenantStoreUnavailableException"/>.
    /// </summary>
    private const int MaxRaceAttempts = 50;

    private const string TenantRowKey = "tenant";
    private const string KeyRowKeyPrefix = "key~";
    private const string OriginsProperty = "Origins";
    private static readonly string[] RowKeyOnly = ["RowKey"];

    private readonly TableClient tenants;
    private readonly TableClient counters;
    private readonly string keyPrefix;
    private readonly TimeProvider time;
    private volatile bool tablesExist;

    /// <summary>A store on the two tables; <paramref name="time"/> stamps strict counters' changes.</summary>
    public TableTenantStore(TableClient tenants, TableClient counters, string keyPrefix, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        this.tenants = tenants;
        this.counters = counters;
        this.keyPrefix = keyPrefix;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The store in the account validated <paramref name="storage"/> options describe, authorized as the snapshot
    /// store is; <paramref name="clientOptions"/> default to <see cref="TableSnapshotStore.ClientOptions"/>, which fail
    /// fast when the service cannot be reached, so that a request answers 503 rather than waits; <paramref name="time"/>
    /// stamps strict counters' changes.
    /// </summary>
    public static TableTenantStore Create(TableStorageOptions storage, string keyPrefix, TableClientOptions? clientOptions = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var tables = TableClients.Create(storage, clientOptions ?? TableSnapshotStore.ClientOptions(), storage.TenantsTableName, storage.TenantCountersTableName);
        return new TableTenantStore(tables[0], tables[1], keyPrefix, time);
    }

    public Task<bool> TryCreateTenantAsync(TenantRecord tenant, TenantKeyRecord firstKey, CancellationToken cancellationToken)
    {
        TenantArguments.Check(tenant, firstKey);
        var partitionKey = PartitionKey(tenant.Tenant);
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, TenantEntity(partitionKey, tenant)),
            new(TableTransactionActionType.Add, KeyEntity(partitionKey, firstKey)),
        ];
        return StoreAsync(
            async () =>
            {
                try
                {
                    await CallAsync(tenants, partitionKey, null, () => tenants.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (RequestFailedException exists) when (exists.Status == 409)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    public Task<TenantRecord?> ReadTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(TenantArguments.Tenant(tenant));
        return StoreAsync(
            async () =>
            {
                var entity = await CallAsync(
                    tenants,
                    partitionKey,
                    TenantRowKey,
                    () => tenants.GetEntityIfExistsAsync<TableEntity>(partitionKey, TenantRowKey, cancellationToken: cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                return entity.HasValue ? TenantOf(entity.Value!) : null;
            },
            cancellationToken);
    }

    /// <summary>Tenants in PartitionKey order; the token is a <see cref="TenantContinuationToken"/>, as in every tenant store.</summary>
    public Task<TenantPage> ListTenantsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        TenantArguments.CheckPageSize(pageSize);
        var after = PartitionKey(continuationToken is null ? string.Empty : TenantContinuationToken.TenantIn(continuationToken));
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {after} and PartitionKey lt {EndOfPartitions} and RowKey eq {TenantRowKey}");
        return StoreAsync(
            () => CallAsync(
                tenants,
                null,
                null,
                async () =>
                {
                    // One more than asked tells whether another page follows; the service may answer in several pages itself.
                    var found = new List<TenantRecord>();
                    var pages = tenants.QueryAsync<TableEntity>(filter, Math.Min(MaxQueryPageSize, pageSize + 1), cancellationToken: cancellationToken).AsPages();
                    await foreach (var page in pages.ConfigureAwait(false))
                    {
                        found.AddRange(page.Values.Select(TenantOf));
                        if (found.Count > pageSize)
                        {
                            break;
                        }
                    }

                    return found.Count > pageSize
                        ? new TenantPage(found[..pageSize], TenantContinuationToken.After(found[pageSize - 1].Tenant))
                        : new TenantPage(found, null);
                },
                cancellationToken),
            cancellationToken);
    }

    /// <summary>Scans the tenants table's partitions of this key prefix: tenants and keys, a few rows each.</summary>
    public Task<TenantDirectoryContents> ReadDirectoryAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {PartitionKey(string.Empty)} and PartitionKey lt {EndOfPartitions}");
        return StoreAsync(
            () => CallAsync(
                tenants,
                null,
                null,
                async () =>
                {
                    var found = new List<TenantRecord>();
                    var keys = new List<TenantKeyRecord>();
                    var origins = new List<TenantOrigins>();
                    await foreach (var entity in tenants.QueryAsync<TableEntity>(filter, MaxQueryPageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
                    {
                        if (entity.RowKey == TenantRowKey)
                        {
                            found.Add(TenantOf(entity));
                            if (entity.GetString(OriginsProperty) is { Length: > 0 } lines)
                            {
                                origins.Add(new TenantOrigins(TenantIn(entity), lines.Split('\n')));
                            }
                        }
                        else if (entity.RowKey.StartsWith(KeyRowKeyPrefix, StringComparison.Ordinal))
                        {
                            keys.Add(KeyOf(entity));
                        }
                    }

                    return new TenantDirectoryContents(found, keys, origins);
                },
                cancellationToken),
            cancellationToken);
    }

    /// <summary>The tenant's partition of the counters table goes whole (its counters and idempotency records), then its keys and row.</summary>
    public Task<bool> DeleteTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(TenantArguments.Tenant(tenant));
        return StoreAsync(
            async () =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    var rows = await CallAsync(tenants, partitionKey, null, () => RowsAsync(partitionKey, cancellationToken), cancellationToken).ConfigureAwait(false);
                    if (!rows.TryGetValue(TenantRowKey, out var tenantETag))
                    {
                        return false;
                    }

                    await TablePartition.DeleteAllAsync(counters, partitionKey, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await DeleteKeysThenTenantAsync(partitionKey, [.. rows.Keys.Where(static rowKey => rowKey != TenantRowKey)], tenantETag, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    catch (RequestFailedException race) when ((TableFailures.IsEntityNotFound(race) || race.Status == 412) && attempt < MaxDeleteAttempts)
                    {
                        // A key was added or deleted since the rows were read: read them again.
                    }
                }
            },
            cancellationToken);
    }

    /// <summary>False, changing nothing, when the tenant does not exist or already has a key of that id.</summary>
    public Task<bool> TryAddKeyAsync(TenantKeyRecord key, CancellationToken cancellationToken)
    {
        TenantArguments.Check(key);
        var partitionKey = PartitionKey(key.Tenant);
        TableTransactionAction[] actions =
        [
            // A merge of nothing: it fails (404) if the tenant is gone and gives its row a new ETag, which a deletion checks.
            new(TableTransactionActionType.UpdateMerge, new TableEntity(partitionKey, TenantRowKey), ETag.All),
            new(TableTransactionActionType.Add, KeyEntity(partitionKey, key)),
        ];
        return StoreAsync(
            async () =>
            {
                try
                {
                    await CallAsync(tenants, partitionKey, null, () => tenants.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (RequestFailedException refused) when (TableFailures.IsEntityNotFound(refused) || refused.Status == 409)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    public Task<bool> DeleteKeyAsync(string tenant, string keyId, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(TenantArguments.Tenant(tenant));
        return DeleteAsync(tenants, partitionKey, KeyRowKeyPrefix + TenantArguments.KeyId(keyId), cancellationToken);
    }

    /// <summary>
    /// Merges <c>Origins</c> into the tenant's row, which must exist (a merge of a missing row fails: false, nothing
    /// created); the row's new ETag makes a deletion running meanwhile read the partition again, as a new key does.
    /// </summary>
    public Task<bool> SetOriginsAsync(TenantOrigins origins, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(TenantArguments.Check(origins).Tenant);
        var entity = new TableEntity(partitionKey, TenantRowKey) { [OriginsProperty] = string.Join('\n', origins.Origins) };
        return StoreAsync(
            async () =>
            {
                try
                {
                    await CallAsync(tenants, partitionKey, TenantRowKey, () => tenants.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken), cancellationToken)
                        .ConfigureAwait(false);
                    return true;
                }
                catch (RequestFailedException missing) when (TableFailures.IsEntityNotFound(missing))
                {
                    return false;
                }
            },
            cancellationToken);
    }

    public Task<bool> TryCreateCounterAsync(CounterRecord counter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counter);
        var partitionKey = PartitionKey(counter.Counter.Tenant);
        var entity = new TableEntity(partitionKey, counter.Counter.Name)
        {
            ["InitialValue"] = counter.InitialValue,
            ["CreatedAt"] = counter.CreatedAt,
            ["Mode"] = StoredCounterMode.Text(counter.Mode),
        };
        if (counter.Mode == CounterMode.Strict)
        {
            // A strict counter's value starts at its initial value, changed when it was created.
            entity["Value"] = counter.InitialValue;
            entity["UpdatedAt"] = counter.CreatedAt;
        }

        return StoreAsync(
            async () =>
            {
                try
                {
                    await CallAsync(counters, partitionKey, entity.RowKey, () => counters.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (RequestFailedException exists) when (exists.Status == 409)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    public Task<CounterRecord?> ReadCounterAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(counter.Tenant);
        return StoreAsync(
            async () => await ReadRowAsync(counters, partitionKey, counter.Name, cancellationToken).ConfigureAwait(false) is { } row ? CounterOf(counter, row) : null,
            cancellationToken);
    }

    public Task<bool> DeleteCounterAsync(CounterKey counter, CancellationToken cancellationToken) =>
        DeleteAsync(counters, PartitionKey(counter.Tenant), counter.Name, cancellationToken);

    /// <summary>The partition keys of this prefix all sort below this one: <c>~</c> is followed in ASCII only by DEL, and tenants start with neither.</summary>
    private string EndOfPartitions => keyPrefix + "\u007f";

    /// <summary>
    /// Deletes keys in transactions of 100 while more than 99 are left, then the last ones together with the tenant's
    /// row, conditional on <paramref name="tenantETag"/>: so the tenant goes only with its last key.
    /// </summary>
    private async Task DeleteKeysThenTenantAsync(string partitionKey, List<string> keyRowKeys, ETag tenantETag, CancellationToken cancellationToken)
    {
        var start = 0;
        for (; keyRowKeys.Count - start >= TablePartition.MaxTransactionSize; start += TablePartition.MaxTransactionSize)
        {
            var chunk = keyRowKeys.GetRange(start, TablePartition.MaxTransactionSize).Select(rowKey => Delete(partitionKey, rowKey, ETag.All));
            await CallAsync(tenants, partitionKey, null, () => tenants.SubmitTransactionAsync(chunk, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var last = keyRowKeys.Skip(start).Select(rowKey => Delete(partitionKey, rowKey, ETag.All)).Append(Delete(partitionKey, TenantRowKey, tenantETag));
        await CallAsync(tenants, partitionKey, null, () => tenants.SubmitTransactionAsync(last, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The row keys of a tenant's partition with their ETags.</summary>
    private async Task<Dictionary<string, ETag>> RowsAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, ETag>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        await foreach (var entity in tenants.QueryAsync<TableEntity>(filter, MaxQueryPageSize, RowKeyOnly, cancellationToken).ConfigureAwait(false))
        {
            rows[entity.RowKey] = entity.ETag;
        }

        return rows;
    }

    /// <summary>One row, or null.</summary>
    private static async Task<TableEntity?> ReadRowAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var row = await CallAsync(
            table,
            partitionKey,
            rowKey,
            () => table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Deletes one row whatever its ETag; false if it was not there.</summary>
    private Task<bool> DeleteAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken) => StoreAsync(
        async () =>
        {
            try
            {
                var response = await CallAsync(table, partitionKey, rowKey, () => table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                return response.Status != 404;
            }
            catch (RequestFailedException gone) when (TableFailures.IsEntityNotFound(gone))
            {
                return false;
            }
        },
        cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> on the tables, created first if missing (again, once, if one turns out deleted
    /// since), and reports an outage as the store-neutral <see cref="TenantStoreUnavailableException"/> (503).
    /// </summary>
    private async Task<T> StoreAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
                return await operation().ConfigureAwait(false);
            }
            catch (RequestFailedException missing) when (TableFailures.IsTableNotFound(missing))
            {
                tablesExist = false;
                await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
                return await operation().ConfigureAwait(false);
            }
        }
        catch (RequestFailedException failure) when (TableFailures.IsOutage(failure))
        {
            throw new TenantStoreUnavailableException(failure.Message, failure);
        }
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (!tablesExist)
        {
            await CallAsync(tenants, null, null, () => tenants.CreateIfNotExistsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            await CallAsync(counters, null, null, () => counters.CreateIfNotExistsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            tablesExist = true;
        }
    }

    /// <summary>One call to the service; its failure names the table, the entity's keys and the status.</summary>
    private static async Task<T> CallAsync<T>(TableClient table, string? partitionKey, string? rowKey, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception failure) when (TableFailures.IsFromService(failure, cancellationToken))
        {
            throw TableFailures.Describe(failure, table.Name, partitionKey, rowKey);
        }
    }

    private string PartitionKey(string tenant) => $"{keyPrefix}~{tenant}";

    /// <summary>A write that lost the race for its rows <see cref="MaxRaceAttempts"/> times: the partition is too busy now, so 503 and Retry-After.</summary>
    private TenantStoreUnavailableException TooMuchContention(string partitionKey)
    {
        var message = $"Table Storage: table '{counters.Name}', PartitionKey '{partitionKey}': other writers changed the rows first {MaxRaceAttempts} times in a row.";
        return new TenantStoreUnavailableException(message, new DBConcurrencyException(message));
    }

    private string TenantIn(TableEntity entity) => entity.PartitionKey[(keyPrefix.Length + 1)..];

    private static TableTransactionAction Delete(string partitionKey, string rowKey, ETag ifMatch) =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ifMatch);

    private static TableEntity TenantEntity(string partitionKey, TenantRecord tenant) => new(partitionKey, TenantRowKey)
    {
        ["CreatedAt"] = tenant.CreatedAt,
    };

    private static TableEntity KeyEntity(string partitionKey, TenantKeyRecord key) => new(partitionKey, KeyRowKeyPrefix + key.KeyId)
    {
        ["KeyHash"] = key.KeyHash,
        ["CreatedAt"] = key.CreatedAt,
    };

    private TenantRecord TenantOf(TableEntity entity) => new(TenantIn(entity), Required(entity, "CreatedAt", entity.GetDateTimeOffset));

    private TenantKeyRecord KeyOf(TableEntity entity) => new(
        TenantIn(entity),
        entity.RowKey[KeyRowKeyPrefix.Length..],
        RequiredText(entity, "KeyHash"),
        Required(entity, "CreatedAt", entity.GetDateTimeOffset));

    private static CounterRecord CounterOf(CounterKey counter, TableEntity entity) => new(
        counter,
        Required(entity, "InitialValue", entity.GetInt64),
        Required(entity, "CreatedAt", entity.GetDateTimeOffset),
        StoredCounterMode.Parse(entity.GetString("Mode")));

    private static string RequiredText(TableEntity entity, string property) =>
        entity.GetString(property) ?? throw new InvalidDataException($"Entity '{entity.PartitionKey}'/'{entity.RowKey}' has no String property '{property}'.");

    private static T Required<T>(TableEntity entity, string property, Func<string, T?> get)
        where T : struct =>
        get(property) ?? throw new InvalidDataException($"Entity '{entity.PartitionKey}'/'{entity.RowKey}' has no {typeof(T).Name} property '{property}'.");
}
