using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Counter.Baseline;

/// <summary>
/// The least a durable ack can cost: every increment is appended to a SQLite file in WAL mode with
/// <c>synchronous=FULL</c> (an fsync per commit), by one writer thread that commits whatever has gathered as one group
/// and then acknowledges all of it. No entities, no state, no JSON: only the group commit.
/// </summary>
internal sealed class DurableLog : IDisposable
{
    private const int MaxPerCommit = 1000;

    private readonly Channel<Pending> channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly Thread writer;

    public DurableLog(string path)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS increment (id INTEGER PRIMARY KEY, counter TEXT NOT NULL, delta INTEGER NOT NULL);";
            setup.ExecuteNonQuery();
        }

        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO increment (counter, delta) VALUES ($counter, $delta)";
        insert.Parameters.Add("$counter", SqliteType.Text);
        insert.Parameters.Add("$delta", SqliteType.Integer);
        insert.Prepare();
        writer = new Thread(WriteGroups) { IsBackground = true, Name = "durable log writer" };
        writer.Start();
    }

    /// <summary>Completes once the increment is committed to disk.</summary>
    public Task AppendAsync(string counter, long delta)
    {
        var pending = new Pending(counter, delta, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        channel.Writer.TryWrite(pending);
        return pending.Done.Task;
    }

    public void Dispose()
    {
        channel.Writer.TryComplete();
        writer.Join();
        insert.Dispose();
        connection.Dispose();
    }

    private void WriteGroups()
    {
        var group = new List<Pending>(MaxPerCommit);
        while (channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            while (group.Count < MaxPerCommit && channel.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            using (var transaction = connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                foreach (var pending in group)
                {
                    insert.Parameters[0].Value = pending.Counter;
                    insert.Parameters[1].Value = pending.Delta;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            foreach (var pending in group)
            {
                pending.Done.TrySetResult();
            }
        }
    }

    private sealed record Pending(string Counter, long Delta, TaskCompletionSource Done);
}
