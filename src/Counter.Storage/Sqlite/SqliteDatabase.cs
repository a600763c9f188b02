using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>Creates SQLite files in WAL mode and opens connections to them.</summary>
internal static class SqliteDatabase
{
    /// <summary>
    /// WAL frames written before a commit copies them into the database file: 16,384 pages of 4 KiB, 64 MiB (SQLite's
    /// default is 1,000). The committing connection checkpoints in its commit, so under load the default stalled the
    /// group commit every few dozen milliseconds to rewrite the same hot pages (the message queue's tail, the shards'
    /// states) into the file and fsync it again; batched increments/s rose 10–17 % with this (bench/README.md). The
    /// price is a WAL file of up to 64 MiB on disk.
    /// </summary>
    public const int WalAutoCheckpointPages = 16_384;

    /// <summary>
    /// Creates the file, its folder and its <paramref name="schema"/> when missing, and switches it to WAL (which the file
    /// remembers). A <paramref name="pageSize"/> applies to a new file only: a file in WAL mode keeps the page size it was
    /// created with.
    /// </summary>
    public static void Create(string path, string schema, int? pageSize = null)
    {
        using var connection = Open(path, SqliteSynchronous.Full, pooled: false);
        var pageSizePragma = pageSize is { } size ? $"PRAGMA page_size={size}; " : string.Empty;
        Execute(connection, $"{pageSizePragma}PRAGMA journal_mode=WAL; {schema}");
    }

    public static SqliteConnection Open(string path, SqliteSynchronous synchronous, bool pooled)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = pooled,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; PRAGMA wal_autocheckpoint={WalAutoCheckpointPages}");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
