using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Counter.Storage;

/// <summary>
/// A statement prepared once on an open connection and run many times without allocating: a Microsoft.Data.Sqlite
/// command allocates a data reader, parameter binders, boxed values and a UTF-8 copy of every string on each run, which
/// was most of what the write path allocated. It runs inside whatever transaction the connection has begun.
/// Parameters are numbered from 1 in the order they appear in the SQL. Not thread-safe, like its connection.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(database, sql, out statement), database);
    }

    public SqliteStatement Bind(int index, long value) => Checked(raw.sqlite3_bind_int64(statement, index, value));

    public SqliteStatement Bind(int index, string value) => Checked(raw.sqlite3_bind_text16(statement, index, value.AsSpan()));

    public SqliteStatement Bind(int index, byte[]? value) =>
        value is null ? Checked(raw.sqlite3_bind_null(statement, index)) : Bind(index, value.AsSpan());

    /// <summary>Binds a copy of <paramref name="value"/>, so the caller may reuse its buffer at once.</summary>
    public SqliteStatement Bind(int index, ReadOnlySpan<byte> value) => Checked(raw.sqlite3_bind_blob(statement, index, value));

    public SqliteStatement Bind(int index, long? value) =>
        value is { } number ? Bind(index, number) : Checked(raw.sqlite3_bind_null(statement, index));

    /// <summary>Runs the statement with the values bound, expecting no result rows.</summary>
    public void Run()
    {
        try
        {
            var result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(result, database);
                throw new SqliteException($"The statement returned rows (SQLite result {result}).", result);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Runs a query for one integer: the first column of its first row, or null when it has no row or that value is NULL.</summary>
    public long? QueryInt64()
    {
        try
        {
            var result = raw.sqlite3_step(statement);
            if (result == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_type(statement, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(statement, 0);
            }

            SqliteException.ThrowExceptionForRC(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result, database);
            return null;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Runs the statement like <see cref="Run"/> and returns how many rows it inserted, updated or deleted, for writes whose answer depends on it.</summary>
    public int RunCountingChanges()
    {
        Run();
        return raw.sqlite3_changes(database);
    }

    public void Dispose() => statement.Dispose();

    private SqliteStatement Checked(int result)
    {
        SqliteException.ThrowExceptionForRC(result, database);
        return this;
    }
}
