using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Counter.Storage;

/// <summary>
/// Write transactions on one connection through statements prepared once. Microsoft.Data.Sqlite's
/// <c>BeginTransaction</c> creates, prepares and finalizes a command for <c>BEGIN</c> and another for <c>COMMIT</c>,
/// and sets a rollback hook, on every transaction: four to five finalizable objects a group commit, 45 % of the
/// allocations that reached the collector's slow path under strict incs (a <c>perf probe</c> on <c>RhpGcAlloc</c>,
/// bench/README.md). Not thread-safe, like its connection.
/// </summary>
internal sealed class SqliteTransactions(SqliteConnection connection) : IDisposable
{
    private readonly sqlite3 database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
    private readonly SqliteStatement begin = new(connection, "BEGIN IMMEDIATE");
    private readonly SqliteStatement commit = new(connection, "COMMIT");
    private readonly SqliteStatement rollback = new(connection, "ROLLBACK");

    /// <summary>Begins a write transaction, rolled back when disposed before <see cref="Transaction.Commit"/>.</summary>
    public Transaction Begin()
    {
        begin.Run();
        return new Transaction(this);
    }

    public void Dispose()
    {
        begin.Dispose();
        commit.Dispose();
        rollback.Dispose();
    }

    /// <summary>A transaction begun by <see cref="Begin"/>; a value, so that beginning one allocates nothing.</summary>
    public readonly struct Transaction(SqliteTransactions owner) : IDisposable
    {
        public void Commit() => owner.commit.Run();

        /// <summary>Rolls back what is still open: nothing after a commit, nor after a failure SQLite rolled back itself.</summary>
        public void Dispose()
        {
            if (raw.sqlite3_get_autocommit(owner.database) == 0)
            {
                owner.rollback.Run();
            }
        }
    }
}
