using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// The default read path: one row per counter in a SQLite file. Every call opens a pooled connection, so readers run
/// in parallel with each other and with the writer (WAL). Writes are group-committed (<see cref="WriteAsync"/>).
/// </summary>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS snapshot (
            tenant TEXT NOT NULL,
            name TEXT NOT NULL,
            value INTEGER NOT NULL,
            version INTEGER NOT NULL,
            updated_at_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, name)) WITHOUT ROWID;
        """;

    private const string Upsert = """
        INSERT INTO snapshot (tenant, name, value, version, updated_at_ticks) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (tenant, name) DO UPDATE
        SET value = excluded.value, version = excluded.version, updated_at_ticks = excluded.updated_at_ticks
        WHERE excluded.version > snapshot.version
        """;

    /// <summary>A removed counter's row goes unless a snapshot at the removal's version or later wrote it (the counter was created again).</summary>
    private const string RemoveOlder = "DELETE FROM snapshot WHERE tenant = ?1 AND name = ?2 AND version < ?3";

    private readonly string path;
    private readonly SqliteSynchronous synchronous;
    private readonly SqliteGroupCommitter<SnapshotBatch, bool> writer;

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public SqliteSnapshotStore(string path, SqliteSynchronous synchronous)
    {
        this.path = path;
        this.synchronous = synchronous;
        writer = new SqliteGroupCommitter<SnapshotBatch, bool>(Commit);
        SqliteDatabase.Create(path, Schema);
    }

    /// <summary>
    /// Queues the batch for the next group commit (<see cref="SqliteGroupCommitter{TRequest, TResult}"/>) and completes
    /// once that is committed: writers that come together (the runtime's snapshots, the strict counters' mirror, a
    /// created counter's first row) share one transaction and one fsync. Batches are applied in the order queued, each as
    /// if it were a transaction of its own in that order.
    /// </summary>
    public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return writer.ApplyAsync(batch, cancellationToken);
    }

    public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var remove = new SqliteStatement(connection, "DELETE FROM snapshot WHERE tenant = ?1"))
        {
            remove.Bind(1, tenant).Run();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, value, version, updated_at_ticks FROM snapshot WHERE tenant = $tenant AND name = $name";
        command.Parameters.AddWithValue("$tenant", counter.Tenant);
        command.Parameters.AddWithValue("$name", counter.Name);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadRow(counter.Tenant, reader) : null);
    }

    /// <summary>
    /// Names are ordered by SQLite's BINARY collation, i.e. by their UTF-8 bytes, which is Unicode code point order.
    /// The token is a <see cref="SnapshotContinuationToken"/>, as in every store. A prefix is a range of the primary key.
    /// </summary>
    public Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, ISnapshotStore.MaxPageSize);
        cancellationToken.ThrowIfCancellationRequested();
        var after = continuationToken is null ? string.Empty : SnapshotContinuationToken.NameIn(continuationToken);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = prefix is null
            ? "SELECT name, value, version, updated_at_ticks FROM snapshot WHERE tenant = $tenant AND name > $after ORDER BY name LIMIT $limit"
            : """
              SELECT name, value, version, updated_at_ticks FROM snapshot
              WHERE tenant = $tenant AND name > $after AND name >= $from AND name < $end ORDER BY name LIMIT $limit
              """;
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", pageSize + 1);
        if (prefix is not null)
        {
            command.Parameters.AddWithValue("$from", prefix.Value);
            command.Parameters.AddWithValue("$end", prefix.End);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<SnapshotRow>(Math.Min(pageSize, 64));
        var more = false;
        while (reader.Read())
        {
            if (rows.Count == pageSize)
            {
                more = true;
                break;
            }

            rows.Add(ReadRow(tenant, reader));
        }

        var token = more ? SnapshotContinuationToken.After(rows[^1].Counter.Name) : null;
        return Task.FromResult(new SnapshotPage(rows, token));
    }

    private void Commit(IReadOnlyList<SqliteGroupCommitter<SnapshotBatch, bool>.Pending> group)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var upsert = new SqliteStatement(connection, Upsert))
        using (var remove = new SqliteStatement(connection, RemoveOlder))
        {
            foreach (var pending in group)
            {
                var batch = pending.Request;
                foreach (var row in batch.Rows)
                {
                    upsert.Bind(1, row.Counter.Tenant).Bind(2, row.Counter.Name).Bind(3, row.Value).Bind(4, row.Version).Bind(5, row.UpdatedAt.UtcTicks).Run();
                }

                foreach (var counter in batch.Removed ?? [])
                {
                    remove.Bind(1, counter.Tenant).Bind(2, counter.Name).Bind(3, batch.Version).Run();
                }

                pending.Decided(true);
            }
        }

        transaction.Commit();
    }

    private SqliteConnection Open() => SqliteDatabase.Open(path, synchronous, pooled: true);

    private static SnapshotRow ReadRow(string tenant, SqliteDataReader reader) => new(
        CounterKey.Create(tenant, reader.GetString(0)),
        reader.GetInt64(1),
        reader.GetInt64(2),
        new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero));
}
