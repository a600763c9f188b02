using Azure;
using Azure.Identity;
using Counter.Core;
using Counter.Storage.Tables;

namespace Counter.Storage;

/// <summary>
/// The read path in Azure Table Storage: one entity per counter, PartitionKey <c>{KeyPrefix}~{tenant}</c>, RowKey the
/// counter name, properties <c>Value</c>, <c>Version</c> (Int64) and <c>UpdatedAt</c>. Writes are conditional on the
/// ETag of the version they replace, so a replayed or late snapshot never overwrites a newer one.
/// </summary>
public sealed class TableSnapshotStore : ISnapshotStore
{
    private const int MaxWriteAttempts = 8;
    private static readonly string[] VersionOnly = ["RowKey", "Version"];

    private readonly TableClient table;
    private readonly string keyPrefix;
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
    /// </summary>
    public static TableSnapshotStore Create(TableStorageOptions storage, string keyPrefix, TableClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var setting = storage.TablesConnection ?? throw new ArgumentException($"{TableStorageOptions.SectionName}:TablesConnection is not set.", nameof(storage));
        var connection = TableConnection.IsEndpoint(setting)
            ? TableConnection.FromCredential(new Uri(setting), new DefaultAzureCredential())
            : TableConnection.Parse(setting);
        return new TableSnapshotStore(new TableClient(connection, storage.TableName, clientOptions), keyPrefix);
    }


    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return NoticingMissingTable(async () =>
        {
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
            foreach (var tenant in batch.Rows.GroupBy(row => row.Counter.Tenant, StringComparer.Ordinal))
            {
                foreach (var chunk in tenant.OrderBy(row => row.Counter.Name, StringComparer.Ordinal).Chunk(TableClient.MaxTransactionSize))
                {
                    await WriteChunkAsync(PartitionKey(tenant.Key), chunk, cancellationToken).ConfigureAwait(false);
                }
            }

            return true;
        });
    }

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken) => NoticingMissingTableOnRead(async () =>
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = await table.GetAsync(PartitionKey(counter.Tenant), counter.Name, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : RowOf(counter.Tenant, entity);
    });

    /// <summary>A page of a tenant's counters in RowKey order; the token is <see cref="SnapshotContinuationToken"/>, as in every store.</summary>
    public Task<SnapshotPage> ReadPageAsync(string tenant, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, ISnapshotStore.MaxPageSize);
        var after = continuationToken is null ? null : SnapshotContinuationToken.NameIn(continuationToken);
        return NoticingMissingTableOnRead(async () =>
        {
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
            var filter = after is null
                ? TableFilter.PartitionEquals(PartitionKey(tenant))
                : $"{TableFilter.PartitionEquals(PartitionKey(tenant))} and RowKey gt {TableFilter.Literal(after)}";
            // One more than asked tells whether another page follows; the service may answer in several pages itself.
            var rows = new List<SnapshotRow>();
            TableContinuation? continuation = null;
            do
            {
                var page = await table.QueryAsync(filter, null, Math.Min(TableClient.MaxPageSize, pageSize + 1 - rows.Count), continuation, cancellationToken).ConfigureAwait(false);
                rows.AddRange(page.Entities.Select(entity => RowOf(tenant, entity)));
                continuation = page.Continuation;
            }
            while (continuation is not null && rows.Count <= pageSize);

            return rows.Count > pageSize
                ? new SnapshotPage(rows[..pageSize], SnapshotContinuationToken.After(rows[pageSize - 1].Counter.Name))
                : new SnapshotPage(rows, null);
        });
    }

    /// <summary>
    /// Reads the stored versions, then writes the newer rows in one transaction: inserts where absent, replaces
    /// conditional on the ETag read. A concurrent writer makes the transaction fail whole (409/412); it is then redone.
    /// </summary>
    private async Task WriteChunkAsync(string partitionKey, SnapshotRow[] rows, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await ReadVersionsAsync(partitionKey, rows, cancellationToken).ConfigureAwait(false);
            var actions = rows
                .Where(row => !stored.TryGetValue(row.Counter.Name, out var current) || current.Version < row.Version)
                .Select(row => stored.TryGetValue(row.Counter.Name, out var current)
                    ? new TableAction(TableActionKind.Replace, EntityOf(partitionKey, row), current.ETag)
                    : new TableAction(TableActionKind.Insert, EntityOf(partitionKey, row)))
                .ToList();
            try
            {
                await (actions.Count switch
                {
                    0 => Task.CompletedTask,
                    1 when actions[0].Kind == TableActionKind.Insert => table.InsertAsync(actions[0].Entity, cancellationToken),
                    1 => table.ReplaceAsync(actions[0].Entity, actions[0].IfMatch, cancellationToken),
                    _ => table.SubmitTransactionAsync(actions, cancellationToken),
                }).ConfigureAwait(false);
                return;
            }
            catch (TableStorageException race) when (race.Kind is TableErrorKind.Conflict or TableErrorKind.PreconditionFailed && attempt < MaxWriteAttempts)
            {
                // Another writer got in between our read and our write: read again and decide again.
            }
        }
    }

    private async Task<Dictionary<string, (long Version, ETag ETag)>> ReadVersionsAsync(string partitionKey, SnapshotRow[] rows, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, (long, ETag)>(StringComparer.Ordinal);
        if (rows.Length == 1)
        {
            var entity = await table.GetAsync(partitionKey, rows[0].Counter.Name, cancellationToken).ConfigureAwait(false);
            if (entity is not null)
            {
                stored[entity.RowKey] = (entity.Get<long>("Version"), entity.ETag);
            }

            return stored;
        }

        // One range query over the chunk's names is far cheaper than a point read per row.
        var wanted = rows.Select(row => row.Counter.Name).ToHashSet(StringComparer.Ordinal);
        var filter = TableFilter.RowKeyRange(partitionKey, rows[0].Counter.Name, rows[^1].Counter.Name);
        TableContinuation? continuation = null;
        do
        {
            var page = await table.QueryAsync(filter, VersionOnly, TableClient.MaxPageSize, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities.Where(entity => wanted.Contains(entity.RowKey)))
            {
                stored[entity.RowKey] = (entity.Get<long>("Version"), entity.ETag);
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);

        return stored;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!tableExists)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            tableExists = true;
        }
    }

    private async Task<T> NoticingMissingTable<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (TableStorageException failure)
        {
            if (failure.Kind == TableErrorKind.TableNotFound)
            {
                tableExists = false;
            }

            throw;
        }
    }

    /// <summary>Reads report an outage as the store-neutral <see cref="SnapshotStoreUnavailableException"/>, which the HTTP contract maps to 503.</summary>
    private async Task<T> NoticingMissingTableOnRead<T>(Func<Task<T>> read)
    {
        try
        {
            return await NoticingMissingTable(read).ConfigureAwait(false);
        }
        catch (TableStorageException failure) when (failure.Kind == TableErrorKind.Unavailable)
        {
            throw new SnapshotStoreUnavailableException(failure.Message, failure);
        }
    }

    private string PartitionKey(string tenant) => $"{keyPrefix}~{tenant}";

    private static TableEntity EntityOf(string partitionKey, SnapshotRow row) =>
        new(partitionKey, row.Counter.Name, new Dictionary<string, object>
        {
            ["Value"] = row.Value,
            ["Version"] = row.Version,
            ["UpdatedAt"] = row.UpdatedAt,
        });

    private static SnapshotRow RowOf(string tenant, TableEntity entity) =>
        new(CounterKey.Create(tenant, entity.RowKey), entity.Get<long>("Value"), entity.Get<long>("Version"), entity.Get<DateTimeOffset>("UpdatedAt"));
}
