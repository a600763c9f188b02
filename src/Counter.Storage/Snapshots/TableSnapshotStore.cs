using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Counter.Core;
using Counter.Storage.Tables;

namespace Counter.Storage;

/// <summary>
/// The read path in Azure Table Storage, over the Azure SDK: one entity per counter, PartitionKey <c>{KeyPrefix}~{tenant}</c>,
/// RowKey the counter name, properties <c>Value</c>, <c>Version</c> (Int64) and <c>UpdatedAt</c>. Writes are conditional
/// on the ETag of the version they replace, so a replayed or late snapshot never overwrites a newer one; so is the
/// deletion of a removed counter's row, so that it never takes a newer one with it. Failures name the table, the
/// entity's keys and the status; reads report an outage as <see cref="SnapshotStoreUnavailableException"/>.
/// The read path of the Durable hosts; not of a Native AOT host, which the SDK does not support.
/// </summary>
public sealed class TableSnapshotStore : ISnapshotStore
{
    // Table Storage's limits: the actions of one entity group transaction, the entities of one query answer.
    private const int MaxTransactionSize = 100;
    private const int MaxQueryPageSize = 1000;
    private const int MaxWriteAttempts = 8;

    // The transactions of one snapshot in flight at once: each is a round trip, and a global partition's snapshot of a
    // few thousand counters is dozens of them, which one after another held its entity (and the read path) for seconds.
    private const int MaxConcurrentTransactions = 8;
    private static readonly string[] VersionOnly = ["RowKey", "Version"];

    private readonly TableClient table;
    private readonly string keyPrefix;
    private readonly WrittenRows written = new();
    private volatile bool tableExists;

    public TableSnapshotStore(TableClient table, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        this.table = table;
        this.keyPrefix = keyPrefix;
    }

    /// <summary>
    /// The store described by validated <paramref name="storage"/> options (see <see cref="TableStorageOptions.Validate"/>):
    /// an endpoint URI is authorized with DefaultAzureCredential, a connection string with its account key.
    /// <paramref name="clientOptions"/> default to <see cref="ClientOptions"/>.
    /// </summary>
    public static TableSnapshotStore Create(TableStorageOptions storage, string keyPrefix, TableClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var table = TableClients.Create(storage, clientOptions ?? ClientOptions(), storage.TableName)[0];
        return new TableSnapshotStore(table, keyPrefix);
    }

    /// <summary>
    /// The SDK's options as this store wants them: two retries about 0.2 and 0.4 s apart, so that an unreachable service
    /// fails a read in well under 2 s (the HTTP contract answers 503, a health probe reports Degraded) instead of after
    /// the SDK's default schedule of ~6 s; and a hung connection is given up after 10 s rather than 100 s. Transient
    /// faults are worth no more patience here: a failed snapshot write is retried by its host anyway.
    /// </summary>
    public static TableClientOptions ClientOptions() => new()
    {
        Retry =
        {
            Mode = RetryMode.Exponential,
            MaxRetries = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(1),
            NetworkTimeout = TimeSpan.FromSeconds(10),
        },
    };

    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return InTableAsync(
            async () =>
            {
                var chunks = batch.Rows
                    .GroupBy(row => row.Counter.Tenant, StringComparer.Ordinal)
                    .SelectMany(tenant => tenant.OrderBy(row => row.Counter.Name, StringComparer.Ordinal).Chunk(MaxTransactionSize)
                        .Select(chunk => (PartitionKey: PartitionKey(tenant.Key), Rows: chunk)));
                await Parallel.ForEachAsync(
                    chunks,
                    new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentTransactions, CancellationToken = cancellationToken },
                    (chunk, token) => new ValueTask(WriteChunkAsync(chunk.PartitionKey, chunk.Rows, token))).ConfigureAwait(false);

                foreach (var counter in batch.Removed ?? [])
                {
                    await RemoveOlderAsync(counter, batch.Version, cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>Deletes the tenant's partition, a transaction of at most 100 rows at a time.</summary>
    public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return InTableAsync(
            async () =>
            {
                await TablePartition.DeleteAllAsync(table, PartitionKey(tenant), cancellationToken).ConfigureAwait(false);
                // Rare: forgetting every row is simpler than finding the tenant's, and only costs reads.
                written.Clear();
                return true;
            },
            cancellationToken);
    }

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(counter.Tenant);
        return ReadingAsync(
            async () =>
            {
                var entity = await CallAsync(
                    partitionKey,
                    counter.Name,
                    () => table.GetEntityIfExistsAsync<TableEntity>(partitionKey, counter.Name, cancellationToken: cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                return entity.HasValue ? RowOf(counter.Tenant, entity.Value!) : null;
            },
            cancellationToken);
    }

    /// <summary>
    /// A page of a tenant's counters in RowKey order; the token is <see cref="SnapshotContinuationToken"/>, as in every
    /// store. A prefix is a RowKey range of the query, so the service finds, sorts and sends only the names in it.
    /// </summary>
    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, ISnapshotStore.MaxPageSize);
        var after = continuationToken is null ? null : SnapshotContinuationToken.NameIn(continuationToken);
        var partitionKey = PartitionKey(tenant);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }

        if (prefix is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {prefix.Value} and RowKey lt {prefix.End}");
        }

        return ReadingAsync(
            () => CallAsync(
                partitionKey,
                null,
                async () =>
                {
                    // One more than asked tells whether another page follows; the service may answer in several pages itself.
                    var rows = new List<SnapshotRow>();
                    var pages = table.QueryAsync<TableEntity>(filter, Math.Min(MaxQueryPageSize, pageSize + 1), cancellationToken: cancellationToken).AsPages();
                    await foreach (var page in pages.ConfigureAwait(false))
                    {
                        rows.AddRange(page.Values.Select(entity => RowOf(tenant, entity)));
                        if (rows.Count > pageSize)
                        {
                            break;
                        }
                    }

                    return rows.Count > pageSize
                        ? new SnapshotPage(rows[..pageSize], SnapshotContinuationToken.After(rows[pageSize - 1].Counter.Name))
                        : new SnapshotPage(rows, null);
                },
                cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// Writes the newer rows in one transaction: adds where absent, replaces conditional on the ETag of the version it
    /// replaces. The first attempt goes by what this store wrote or read last (<see cref="WrittenRows"/>: a row it never
    /// saw is taken for absent) and reads nothing; a later attempt reads the stored versions first. A concurrent writer,
    /// or a guess gone stale, makes the transaction fail whole (409, 412, or 404 for a row deleted since); it is then
    /// redone from a read. Why not read every time: Azurite answers each range read by scanning the whole partition, which
    /// under a load over 100,000 counters was one scan per 100 rows snapshotted (bench/README.md).
    /// </summary>
    private async Task WriteChunkAsync(string partitionKey, SnapshotRow[] rows, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = attempt == 1 ? Remembered(partitionKey, rows) : null;
            if (stored is null)
            {
                stored = await CallAsync(partitionKey, null, () => ReadVersionsAsync(partitionKey, rows, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var (name, current) in stored)
                {
                    written.Remember(partitionKey, name, current.Version, current.ETag);
                }
            }

            var newer = rows.Where(row => !stored.TryGetValue(row.Counter.Name, out var current) || current.Version < row.Version).ToList();
            if (newer.Count == 0)
            {
                return;
            }

            var actions = newer
                .Select(row => stored.TryGetValue(row.Counter.Name, out var current)
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, EntityOf(partitionKey, row), current.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, EntityOf(partitionKey, row)))
                .ToList();
            try
            {
                var answers = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                for (var index = 0; index < newer.Count; index++)
                {
                    written.Remember(partitionKey, newer[index].Counter.Name, newer[index].Version, answers.Value[index].Headers.ETag ?? default);
                }

                return;
            }
            catch (RequestFailedException race) when ((TableFailures.IsLostRace(race) || TableFailures.IsEntityNotFound(race)) && attempt < MaxWriteAttempts)
            {
                // Another writer got in between, or what this store wrote is not there any more: read again and decide again.
                foreach (var row in rows)
                {
                    written.Forget(partitionKey, row.Counter.Name);
                }
            }
            catch (Exception failure) when (TableFailures.IsFromService(failure, cancellationToken))
            {
                var culprit = failure is TableTransactionFailedException { FailedTransactionActionIndex: int index } && index < actions.Count
                    ? actions[index].Entity.RowKey
                    : null;
                throw TableFailures.Describe(failure, table.Name, partitionKey, culprit);
            }
        }
    }

    /// <summary>
    /// The versions and ETags this store wrote or read last for <paramref name="rows"/>, rows it never saw left out (taken
    /// for absent); null when it cannot tell, its memory being full.
    /// </summary>
    private Dictionary<string, (long Version, ETag ETag)>? Remembered(string partitionKey, SnapshotRow[] rows)
    {
        var full = written.IsFull;
        var stored = new Dictionary<string, (long, ETag)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (written.TryGet(partitionKey, row.Counter.Name, out var known))
            {
                stored[row.Counter.Name] = known;
            }
            else if (full)
            {
                return null;
            }
        }

        return stored;
    }

    /// <summary>
    /// Deletes a removed counter's row if it is older than the removal, conditional on the ETag read, so that a row a
    /// newer snapshot writes in between stays. A removal is rare: one point read and one delete per counter.
    /// </summary>
    private async Task RemoveOlderAsync(CounterKey counter, long version, CancellationToken cancellationToken)
    {
        var partitionKey = PartitionKey(counter.Tenant);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await CallAsync(
                partitionKey,
                counter.Name,
                () => table.GetEntityIfExistsAsync<TableEntity>(partitionKey, counter.Name, VersionOnly, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (!stored.HasValue || Required(stored.Value!, "Version", stored.Value!.GetInt64) >= version)
            {
                return;
            }

            try
            {
                await table.DeleteEntityAsync(partitionKey, counter.Name, stored.Value.ETag, cancellationToken).ConfigureAwait(false);
                written.Forget(partitionKey, counter.Name);
                return;
            }
            catch (RequestFailedException gone) when (TableFailures.IsEntityNotFound(gone))
            {
                return;
            }
            catch (RequestFailedException race) when (TableFailures.IsLostRace(race) && attempt < MaxWriteAttempts)
            {
                // Rewritten since it was read: read again and decide again.
            }
            catch (Exception failure) when (TableFailures.IsFromService(failure, cancellationToken))
            {
                throw TableFailures.Describe(failure, table.Name, partitionKey, counter.Name);
            }
        }
    }

    private async Task<Dictionary<string, (long Version, ETag ETag)>> ReadVersionsAsync(string partitionKey, SnapshotRow[] rows, CancellationToken cancellationToken)
    {
        // One range query over the chunk's names is far cheaper than a point read per row.
        var wanted = rows.Select(row => row.Counter.Name).ToHashSet(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rows[0].Counter.Name} and RowKey le {rows[^1].Counter.Name}");
        var stored = new Dictionary<string, (long, ETag)>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, MaxQueryPageSize, VersionOnly, cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(entity.RowKey))
            {
                stored[entity.RowKey] = (Required(entity, "Version", entity.GetInt64), entity.ETag);
            }
        }

        return stored;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the table, created first if missing. A table deleted since is noticed by the
    /// operation failing with TableNotFound; the table is then created again and the operation redone, once.
    /// </summary>
    private async Task<T> InTableAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
            return await operation().ConfigureAwait(false);
        }
        catch (RequestFailedException missing) when (TableFailures.IsTableNotFound(missing))
        {
            tableExists = false;
            written.Clear();
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
            return await operation().ConfigureAwait(false);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!tableExists)
        {
            await CallAsync(null, null, () => table.CreateIfNotExistsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            tableExists = true;
        }
    }

    /// <summary>Reads report an outage as the store-neutral <see cref="SnapshotStoreUnavailableException"/>, which the HTTP contract maps to 503.</summary>
    private async Task<T> ReadingAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await InTableAsync(read, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failure) when (TableFailures.IsOutage(failure))
        {
            throw new SnapshotStoreUnavailableException(failure.Message, failure);
        }
    }

    /// <summary>One call to the service; its failure names the table, the entity's keys and the status.</summary>
    private async Task<T> CallAsync<T>(string? partitionKey, string? rowKey, Func<Task<T>> call, CancellationToken cancellationToken)
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

    private static TableEntity EntityOf(string partitionKey, SnapshotRow row) => new(partitionKey, row.Counter.Name)
    {
        ["Value"] = row.Value,
        ["Version"] = row.Version,
        ["UpdatedAt"] = row.UpdatedAt,
    };

    private static SnapshotRow RowOf(string tenant, TableEntity entity) => new(
        CounterKey.Create(tenant, entity.RowKey),
        Required(entity, "Value", entity.GetInt64),
        Required(entity, "Version", entity.GetInt64),
        Required(entity, "UpdatedAt", entity.GetDateTimeOffset));

    private static T Required<T>(TableEntity entity, string property, Func<string, T?> get)
        where T : struct =>
        get(property) ?? throw new InvalidDataException($"Entity '{entity.PartitionKey}'/'{entity.RowKey}' has no {typeof(T).Name} property '{property}'.");
}
