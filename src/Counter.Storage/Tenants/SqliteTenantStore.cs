using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// The embedded host's tenant store: tenants, their key hashes, the counters created in them (strict ones with their
/// values) and idempotency records, in a SQLite file of their own, so that creating a tenant never waits for the
/// runtime's writer or the read path's. Every method is one transaction (strict batches: one per group of them): a
/// tenant and its first key, or a tenant's counters, records, keys and row, go together or not at all, and a write
/// that answers false rolls back whatever it touched. Every call opens a pooled connection, as the snapshot store's do,
/// except strict batches, whose writer keeps its own (<see cref="RunStrict"/>).
/// Times are kept as UTC ticks and read back at offset zero.
/// </summary>
public sealed partial class SqliteTenantStore : ITenantStore
{
    /// <summary>
    /// Pages of 1 KiB rather than SQLite's 4 KiB, for files created from now on: a group of strict changes updates rows
    /// of a few dozen bytes scattered over the counters' B-tree, and each page it touches is one frame written to the WAL
    /// and fsynced. In alternating rounds of strict incs over 1,000 counters the server's CPU per inc fell by ~3 µs and
    /// its requests/s rose in every round (bench/README.md).
    /// </summary>
    public const int FilePageSize = 1024;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS tenant (
            tenant TEXT NOT NULL PRIMARY KEY,
            created_at_ticks INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tenant_key (
            tenant TEXT NOT NULL,
            key_id TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            created_at_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, key_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tenant_counter (
            tenant TEXT NOT NULL,
            name TEXT NOT NULL,
            initial_value INTEGER NOT NULL,
            created_at_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS idempotency (
            scope TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            expires_at_ticks INTEGER NOT NULL,
            PRIMARY KEY (scope, key_hash)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idempotency_expiry ON idempotency (expires_at_ticks);
        CREATE TABLE IF NOT EXISTS tenant_origin (
            tenant TEXT NOT NULL,
            position INTEGER NOT NULL,
            origin TEXT NOT NULL,
            PRIMARY KEY (tenant, position)) WITHOUT ROWID;
        """;

    /// <summary>
    /// The columns tenant_counter gained with strict counters, added by <see cref="Migrate"/> to a file made before
    /// them as to a new one: the mode (a row without one is sharded), and a strict counter's value and when it last
    /// changed (null for a sharded one, whose value lives in the entities).
    /// </summary>
    private static readonly string[] CounterColumnsAdded =
    [
        $"mode TEXT NOT NULL DEFAULT '{StoredCounterMode.Sharded}'",
        "value INTEGER",
        "updated_at_ticks INTEGER",
    ];

    private const string InsertKey = "INSERT INTO tenant_key (tenant, key_id, key_hash, created_at_ticks) VALUES (?1, ?2, ?3, ?4)";

    // SQLite's result codes that mean the file cannot be used now rather than that the call is wrong: another process
    // holds it past the busy timeout, the disk failed or is full.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int IOError = 10;
    private const int Full = 13;

    private readonly string path;
    private readonly SqliteSynchronous synchronous;
    private readonly TimeProvider time;
    private readonly SqliteGroupCommitter<StrictRequest, StrictApplied> strictWriter;

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>; <paramref name="time"/> stamps strict counters' changes.</summary>
    public SqliteTenantStore(string path, SqliteSynchronous synchronous, TimeProvider? time = null)
    {
        this.path = path;
        this.synchronous = synchronous;
        this.time = time ?? TimeProvider.System;
        strictWriter = new SqliteGroupCommitter<StrictRequest, StrictApplied>(CommitStrictGroup);
        SqliteDatabase.Create(path, Schema, FilePageSize);
        Migrate();
    }

    public Task<bool> TryCreateTenantAsync(TenantRecord tenant, TenantKeyRecord firstKey, CancellationToken cancellationToken)
    {
        TenantArguments.Check(tenant, firstKey);
        return WriteAsync(
            connection =>
            {
                using (var insert = new SqliteStatement(connection, "INSERT INTO tenant (tenant, created_at_ticks) VALUES (?1, ?2) ON CONFLICT DO NOTHING"))
                {
                    if (insert.Bind(1, tenant.Tenant).Bind(2, tenant.CreatedAt.UtcTicks).RunCountingChanges() == 0)
                    {
                        return false;
                    }
                }

                // A tenant that did not exist has no keys (a deletion takes its keys with it), so this never conflicts.
                using var key = new SqliteStatement(connection, InsertKey);
                key.Bind(1, firstKey.Tenant).Bind(2, firstKey.KeyId).Bind(3, firstKey.KeyHash).Bind(4, firstKey.CreatedAt.UtcTicks).Run();
                return true;
            },
            cancellationToken);
    }

    public Task<TenantRecord?> ReadTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        TenantArguments.Tenant(tenant);
        return RunAsync(
            connection =>
            {
                using var command = Command(connection, "SELECT tenant, created_at_ticks FROM tenant WHERE tenant = $tenant", ("$tenant", tenant));
                using var reader = command.ExecuteReader();
                return reader.Read() ? TenantOf(reader) : null;
            },
            cancellationToken);
    }

    /// <summary>Tenants in SQLite's BINARY order (Unicode code points); the token is a <see cref="TenantContinuationToken"/>.</summary>
    public Task<TenantPage> ListTenantsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        TenantArguments.CheckPageSize(pageSize);
        var after = continuationToken is null ? string.Empty : TenantContinuationToken.TenantIn(continuationToken);
        return RunAsync(
            connection =>
            {
                using var command = Command(
                    connection,
                    "SELECT tenant, created_at_ticks FROM tenant WHERE tenant > $after ORDER BY tenant LIMIT $limit",
                    ("$after", after),
                    ("$limit", pageSize + 1));
                using var reader = command.ExecuteReader();
                var tenants = new List<TenantRecord>();
                while (reader.Read())
                {
                    tenants.Add(TenantOf(reader));
                }

                return tenants.Count > pageSize
                    ? new TenantPage(tenants[..pageSize], TenantContinuationToken.After(tenants[pageSize - 1].Tenant))
                    : new TenantPage(tenants, null);
            },
            cancellationToken);
    }

    public Task<TenantDirectoryContents> ReadDirectoryAsync(CancellationToken cancellationToken) => RunAsync(
        connection =>
        {
            // One read transaction: the keys are those of the tenants read, as of one commit.
            using var transaction = connection.BeginTransaction(deferred: true);
            var tenants = new List<TenantRecord>();
            using (var command = Command(connection, "SELECT tenant, created_at_ticks FROM tenant ORDER BY tenant"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    tenants.Add(TenantOf(reader));
                }
            }

            var keys = new List<TenantKeyRecord>();
            using (var command = Command(connection, "SELECT tenant, key_id, key_hash, created_at_ticks FROM tenant_key ORDER BY tenant, key_id"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    keys.Add(new TenantKeyRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), At(reader.GetInt64(3))));
                }
            }

            var origins = new List<TenantOrigins>();
            using (var command = Command(connection, "SELECT tenant, origin FROM tenant_origin ORDER BY tenant, position"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var tenant = reader.GetString(0);
                    if (origins.Count == 0 || origins[^1].Tenant != tenant)
                    {
                        origins.Add(new TenantOrigins(tenant, new List<string>()));
                    }

                    ((List<string>)origins[^1].Origins).Add(reader.GetString(1));
                }
            }

            transaction.Commit();
            return new TenantDirectoryContents(tenants, keys, origins);
        },
        cancellationToken);

    /// <summary>
    /// Counters, idempotency records, keys and tenant in one transaction; if the tenant is not there, it rolls back and
    /// answers false.
    /// </summary>
    public Task<bool> DeleteTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        TenantArguments.Tenant(tenant);
        return WriteAsync(
            connection =>
            {
                Change(connection, "DELETE FROM tenant_counter WHERE tenant = ?1", tenant);
                Change(connection, "DELETE FROM idempotency WHERE scope = ?1", tenant);
                Change(connection, "DELETE FROM tenant_key WHERE tenant = ?1", tenant);
                Change(connection, "DELETE FROM tenant_origin WHERE tenant = ?1", tenant);
                return Change(connection, "DELETE FROM tenant WHERE tenant = ?1", tenant) > 0;
            },
            cancellationToken);
    }

    /// <summary>False, changing nothing, when the tenant does not exist or already has a key of that id.</summary>
    public Task<bool> TryAddKeyAsync(TenantKeyRecord key, CancellationToken cancellationToken)
    {
        TenantArguments.Check(key);
        return WriteAsync(
            connection =>
            {
                // The SELECT's WHERE is what lets SQLite parse the ON CONFLICT clause of an INSERT … SELECT.
                using var insert = new SqliteStatement(
                    connection,
                    """
                    INSERT INTO tenant_key (tenant, key_id, key_hash, created_at_ticks)
                    SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM tenant WHERE tenant = ?1)
                    ON CONFLICT DO NOTHING
                    """);
                return insert.Bind(1, key.Tenant).Bind(2, key.KeyId).Bind(3, key.KeyHash).Bind(4, key.CreatedAt.UtcTicks).RunCountingChanges() > 0;
            },
            cancellationToken);
    }

    public Task<bool> DeleteKeyAsync(string tenant, string keyId, CancellationToken cancellationToken)
    {
        TenantArguments.Tenant(tenant);
        TenantArguments.KeyId(keyId);
        return WriteAsync(connection => Change(connection, "DELETE FROM tenant_key WHERE tenant = ?1 AND key_id = ?2", tenant, keyId) > 0, cancellationToken);
    }

    public Task<bool> TryCreateCounterAsync(CounterRecord counter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return WriteAsync(
            connection =>
            {
                // A strict counter's value starts at its initial value, changed when it was created.
                var strict = counter.Mode == CounterMode.Strict;
                using var insert = new SqliteStatement(
                    connection,
                    """
                    INSERT INTO tenant_counter (tenant, name, initial_value, created_at_ticks, mode, value, updated_at_ticks)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING
                    """);
                return insert.Bind(1, counter.Counter.Tenant).Bind(2, counter.Counter.Name).Bind(3, counter.InitialValue).Bind(4, counter.CreatedAt.UtcTicks)
                    .Bind(5, StoredCounterMode.Text(counter.Mode)).Bind(6, strict ? counter.InitialValue : null).Bind(7, strict ? counter.CreatedAt.UtcTicks : null)
                    .RunCountingChanges() > 0;
            },
            cancellationToken);
    }

    public Task<CounterRecord?> ReadCounterAsync(CounterKey counter, CancellationToken cancellationToken) => RunAsync(
        connection =>
        {
            using var command = Command(
                connection,
                "SELECT initial_value, created_at_ticks, mode FROM tenant_counter WHERE tenant = $tenant AND name = $name",
                ("$tenant", counter.Tenant),
                ("$name", counter.Name));
            using var reader = command.ExecuteReader();
            return reader.Read() ? new CounterRecord(counter, reader.GetInt64(0), At(reader.GetInt64(1)), StoredCounterMode.Parse(reader.GetString(2))) : null;
        },
        cancellationToken);

    public Task<bool> DeleteCounterAsync(CounterKey counter, CancellationToken cancellationToken) => WriteAsync(
        connection => Change(connection, "DELETE FROM tenant_counter WHERE tenant = ?1 AND name = ?2", counter.Tenant, counter.Name) > 0,
        cancellationToken);

    /// <summary>The origins replace the tenant's in one transaction, a row each in their order; false, changing nothing, when the tenant does not exist.</summary>
    public Task<bool> SetOriginsAsync(TenantOrigins origins, CancellationToken cancellationToken)
    {
        TenantArguments.Check(origins);
        return WriteAsync(
            connection =>
            {
                using (var exists = Command(connection, "SELECT 1 FROM tenant WHERE tenant = $tenant", ("$tenant", origins.Tenant)))
                {
                    if (exists.ExecuteScalar() is null)
                    {
                        return false;
                    }
                }

                Change(connection, "DELETE FROM tenant_origin WHERE tenant = ?1", origins.Tenant);
                using var insert = new SqliteStatement(connection, "INSERT INTO tenant_origin (tenant, position, origin) VALUES (?1, ?2, ?3)");
                for (var position = 0; position < origins.Origins.Count; position++)
                {
                    insert.Bind(1, origins.Tenant).Bind(2, position).Bind(3, origins.Origins[position]).Run();
                }

                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Adds the columns of <see cref="CounterColumnsAdded"/> that the file lacks, in one write transaction, so that two
    /// processes opening an old file at once do not both add them.
    /// </summary>
    private void Migrate()
    {
        using var connection = SqliteDatabase.Open(path, synchronous, pooled: false);
        using var transaction = connection.BeginTransaction();
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var command = Command(connection, "SELECT name FROM pragma_table_info('tenant_counter')"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        foreach (var column in CounterColumnsAdded.Where(column => !present.Contains(column[..column.IndexOf(' ', StringComparison.Ordinal)])))
        {
            SqliteDatabase.Execute(connection, $"ALTER TABLE tenant_counter ADD COLUMN {column}");
        }

        transaction.Commit();
    }

    /// <summary>
    /// Runs <paramref name="change"/> in a write transaction (BEGIN IMMEDIATE, which waits for another writer) and
    /// commits it only if it answers true: a write that answers false changed nothing.
    /// </summary>
    private Task<bool> WriteAsync(Func<SqliteConnection, bool> change, CancellationToken cancellationToken) => RunAsync(
        connection =>
        {
            using var transaction = connection.BeginTransaction();
            if (!change(connection))
            {
                return false;
            }

            transaction.Commit();
            return true;
        },
        cancellationToken);

    private Task<T> RunAsync<T>(Func<SqliteConnection, T> run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(run));
    }

    /// <summary>Runs <paramref name="run"/> on a pooled connection, reporting a file that cannot be used now as <see cref="TenantStoreUnavailableException"/>.</summary>
    private T Run<T>(Func<SqliteConnection, T> run)
    {
        try
        {
            using var connection = SqliteDatabase.Open(path, synchronous, pooled: true);
            return run(connection);
        }
        catch (SqliteException failure) when (IsUnavailable(failure))
        {
            throw Unavailable(failure);
        }
    }

    /// <summary>Whether <paramref name="failure"/> says the file cannot be used now (busy, locked, unreadable or full), rather than that a statement is wrong.</summary>
    private static bool IsUnavailable(SqliteException failure) => failure.SqliteErrorCode is Busy or Locked or IOError or Full;

    private TenantStoreUnavailableException Unavailable(SqliteException failure) =>
        new($"The tenant store '{path}' cannot be used now: {failure.Message}", failure);

    /// <summary>Runs a statement whose parameters are <paramref name="values"/> in order; returns the rows it changed.</summary>
    private static int Change(SqliteConnection connection, string sql, params string[] values)
    {
        using var statement = new SqliteStatement(connection, sql);
        for (var index = 0; index < values.Length; index++)
        {
            statement.Bind(index + 1, values[index]);
        }

        return statement.RunCountingChanges();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static TenantRecord TenantOf(SqliteDataReader reader) => new(reader.GetString(0), At(reader.GetInt64(1)));

    private static DateTimeOffset At(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
