using System.Buffers;
using System.Text.Json;
using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// The durable side of the embedded entity runtime in one SQLite file: entity states, the message queue (including
/// scheduled messages) and the snapshot outbox. One connection does all the writing, as SQLite allows one writer anyway;
/// the hot-path commands are prepared once and reused. A second connection reads single states, from the last commit
/// (WAL isolation), without waiting for the writer. Thread-safe: calls are serialized per connection.
/// </summary>
/// <remarks>
/// Only what leaves the process is pushed to disk with the configured <see cref="SqliteSynchronous"/>: appended
/// signals (their callers acknowledge them) and entity batches that emit snapshots (the snapshot store shows them).
/// Every other commit, an entity batch without snapshots or the removal of a delivered outbox entry, is written to the
/// WAL without an fsync of its own. That loses nothing: the WAL is one sequence, so the next synchronized commit makes
/// everything before it durable too, and after a power loss SQLite recovers a prefix of the commits, i.e. the state of
/// an earlier moment, from which the runtime redoes the lost batches with the messages they had consumed, still there.
/// </remarks>
public sealed class SqliteEntityStore : IDisposable
{
    /// <remarks>The outbox of an earlier version, one value per snapshot, moves into the parts table as single parts.</remarks>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS entity_state (
            entity_name TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            state_json BLOB NOT NULL,
            PRIMARY KEY (entity_name, entity_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS entity_message (
            id INTEGER PRIMARY KEY,
            entity_name TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            operation TEXT NOT NULL,
            input_json BLOB,
            due_at_ticks INTEGER);
        CREATE TABLE IF NOT EXISTS entity_totals (
            entity_name TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            totals_json BLOB NOT NULL,
            PRIMARY KEY (entity_name, entity_key, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS snapshot_outbox_part (
            outbox_id INTEGER NOT NULL,
            part INTEGER NOT NULL,
            batch_json BLOB NOT NULL,
            PRIMARY KEY (outbox_id, part)) WITHOUT ROWID;
        BEGIN;
        CREATE TABLE IF NOT EXISTS snapshot_outbox (id INTEGER PRIMARY KEY, batch_json BLOB NOT NULL);
        INSERT INTO snapshot_outbox_part (outbox_id, part, batch_json) SELECT id, 0, batch_json FROM snapshot_outbox;
        DROP TABLE snapshot_outbox;
        COMMIT;
        """;

    /// <summary>Most snapshot rows stored in one outbox part: its JSON (~90 bytes a row) stays below the large object heap's threshold.</summary>
    public const int MaxRowsPerOutboxPart = 500;

    /// <summary>Most total entries stored in one row: with keys of usual length its JSON (~35 bytes an entry) stays below the large object heap's threshold.</summary>
    public const int MaxEntriesPerTotalsRow = 1000;

    private readonly Lock gate = new();
    private readonly Lock readGate = new();
    private readonly SqliteConnection connection;
    private readonly SqliteConnection reader;
    private readonly SqliteStatement insertMessage;
    private readonly SqliteStatement deleteMessage;
    private readonly SqliteStatement upsertState;
    private readonly SqliteStatement insertTotals;
    private readonly SqliteStatement deleteTotals;
    private readonly SqliteStatement insertOutboxPart;
    private readonly SqliteStatement deleteOutbox;
    private readonly SqliteTransactions transactions;
    private readonly ArrayBufferWriter<byte> json = new();
    private readonly Utf8JsonWriter jsonWriter;
    private readonly SqliteSynchronous durable;
    private SqliteSynchronous current;
    private long nextMessageId;
    private long nextOutboxId;
    private long nextTotalsSeq;

    private SqliteEntityStore(SqliteConnection connection, SqliteConnection reader, SqliteSynchronous synchronous)
    {
        this.connection = connection;
        this.reader = reader;
        jsonWriter = new Utf8JsonWriter(json);
        durable = synchronous;
        current = synchronous;
        insertMessage = new SqliteStatement(
            connection,
            "INSERT INTO entity_message (id, entity_name, entity_key, operation, input_json, due_at_ticks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        deleteMessage = new SqliteStatement(connection, "DELETE FROM entity_message WHERE id = ?1");
        upsertState = new SqliteStatement(
            connection,
            "INSERT INTO entity_state (entity_name, entity_key, state_json) VALUES (?1, ?2, ?3) ON CONFLICT (entity_name, entity_key) DO UPDATE SET state_json = excluded.state_json");
        insertTotals = new SqliteStatement(connection, "INSERT INTO entity_totals (entity_name, entity_key, seq, totals_json) VALUES (?1, ?2, ?3, ?4)");
        deleteTotals = new SqliteStatement(connection, "DELETE FROM entity_totals WHERE entity_name = ?1 AND entity_key = ?2");
        insertOutboxPart = new SqliteStatement(connection, "INSERT INTO snapshot_outbox_part (outbox_id, part, batch_json) VALUES (?1, ?2, ?3)");
        deleteOutbox = new SqliteStatement(connection, "DELETE FROM snapshot_outbox_part WHERE outbox_id = ?1");
        transactions = new SqliteTransactions(connection);
        nextMessageId = MaxId("id", "entity_message") + 1;
        nextOutboxId = MaxId("outbox_id", "snapshot_outbox_part") + 1;
        nextTotalsSeq = MaxId("seq", "entity_totals") + 1;
    }

    public string Path => connection.DataSource;

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static SqliteEntityStore Open(string path, SqliteSynchronous synchronous)
    {
        SqliteDatabase.Create(path, Schema);
        var connection = SqliteDatabase.Open(path, synchronous, pooled: false);
        SqliteConnection? reader = null;
        try
        {
            reader = SqliteDatabase.Open(path, synchronous, pooled: false);
            return new SqliteEntityStore(connection, reader, synchronous);
        }
        catch
        {
            reader?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Everything persisted: states, the queued and scheduled messages in id order, and the outbox in id order.</summary>
    public PersistedEntities Load()
    {
        lock (gate)
        {
            return new PersistedEntities(LoadStates(connection, EntitySelection.All), LoadMessages(connection, EntitySelection.All), LoadOutbox());
        }
    }

    /// <summary>One entity's state as of the last commit, or null if it has none; does not wait for a commit in progress.</summary>
    public StoredEntityState? ReadState(EntityAddress entity)
    {
        lock (readGate)
        {
            using var transaction = reader.BeginTransaction(deferred: true);
            var states = LoadStates(reader, new EntitySelection(null, entity));
            transaction.Commit();
            return states.Count == 0 ? null : states[0];
        }
    }

    /// <summary>
    /// As of one commit, without waiting for the writer: the states of every entity named <paramref name="everyNamed"/>
    /// and of <paramref name="entity"/>, and the messages queued or scheduled for them, in id order (no outbox).
    /// </summary>
    public PersistedEntities ReadWithMessages(string everyNamed, EntityAddress entity)
    {
        ArgumentNullException.ThrowIfNull(everyNamed);
        var selection = new EntitySelection(everyNamed, entity);
        lock (readGate)
        {
            using var transaction = reader.BeginTransaction(deferred: true);
            var read = new PersistedEntities(LoadStates(reader, selection), LoadMessages(reader, selection), []);
            transaction.Commit();
            return read;
        }
    }

    /// <summary>Persists <paramref name="messages"/> in one transaction and returns them with their ids, in the same order.</summary>
    public IReadOnlyList<StoredMessage> Append(IReadOnlyList<EntityMessage> messages) => CommitGroup(messages, []).Signals;

    /// <summary>
    /// Appends <paramref name="signals"/> and commits every one of <paramref name="batches"/> (an entity's new state, the
    /// removal of the messages it consumed, the signals it sends and the snapshots it emits) in one transaction: after a
    /// crash either all of it is there or none; one write to the WAL, and at most one fsync, for everything that waits at
    /// one moment.
    /// </summary>
    public CommittedGroup CommitGroup(IReadOnlyList<EntityMessage> signals, IReadOnlyList<EntityBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(batches);
        lock (gate)
        {
            var firstMessageId = nextMessageId;
            var firstOutboxId = nextOutboxId;
            var firstTotalsSeq = nextTotalsSeq;
            try
            {
                var leavesTheProcess = signals.Count > 0 || batches.Any(static batch => batch.Snapshots.Count > 0);
                using var transaction = BeginTransaction(leavesTheProcess ? durable : SqliteSynchronous.Normal);
                var stored = InsertMessages(signals);
                var committed = new CommittedEntityBatch[batches.Count];
                for (var index = 0; index < committed.Length; index++)
                {
                    committed[index] = WriteBatch(batches[index]);
                }

                transaction.Commit();
                return new CommittedGroup(stored, committed);
            }
            catch
            {
                nextMessageId = firstMessageId;
                nextOutboxId = firstOutboxId;
                nextTotalsSeq = firstTotalsSeq;
                throw;
            }
        }
    }

    /// <summary>
    /// The rows of outbox entry <paramref name="id"/> from part <paramref name="firstPart"/> on, as many whole parts as
    /// hold at most <paramref name="maxRows"/> rows (at least one part), or null when it has no such part. Read from the
    /// last commit without waiting for the writer, so that a snapshot is held in memory a chunk at a time and only while
    /// it is written, however large it is and however many wait.
    /// </summary>
    public OutboxChunk? ReadOutbox(long id, int firstPart, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPart);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        lock (readGate)
        {
            using var transaction = reader.BeginTransaction(deferred: true);
            using var command = Query(reader, "SELECT part, batch_json FROM snapshot_outbox_part WHERE outbox_id = $id AND part >= $first ORDER BY part LIMIT $limit", EntitySelection.All);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$first", firstPart);
            command.Parameters.AddWithValue("$limit", Math.Max(1, maxRows / MaxRowsPerOutboxPart));
            using var rows = command.ExecuteReader();
            SnapshotBatch? first = null;
            var chunkRows = new List<SnapshotRow>();
            var nextPart = firstPart;
            while (rows.Read())
            {
                var part = JsonSerializer.Deserialize((byte[])rows.GetValue(1), CounterJsonContext.Default.SnapshotBatch)
                    ?? throw new InvalidDataException($"Part {rows.GetInt64(0)} of outbox entry {id} holds no snapshot.");
                first ??= part;
                chunkRows.AddRange(part.Rows);
                nextPart = rows.GetInt32(0) + 1;
            }

            transaction.Commit();
            return first is null ? null : new OutboxChunk(first with { Rows = chunkRows }, nextPart);
        }
    }

    /// <summary>Forgets an outbox entry once the snapshot store has it. Should the removal be lost, the snapshot is written again, which the snapshot store ignores.</summary>
    public void DeleteOutbox(long id)
    {
        lock (gate)
        {
            using var transaction = BeginTransaction(SqliteSynchronous.Normal);
            deleteOutbox.Bind(1, id).Run();
            transaction.Commit();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            insertMessage.Dispose();
            deleteMessage.Dispose();
            upsertState.Dispose();
            insertTotals.Dispose();
            deleteTotals.Dispose();
            insertOutboxPart.Dispose();
            deleteOutbox.Dispose();
            transactions.Dispose();
            jsonWriter.Dispose();
            connection.Dispose();
        }

        lock (readGate)
        {
            reader.Dispose();
        }
    }

    /// <summary>Begins a transaction whose commit is pushed to disk as hard as <paramref name="synchronous"/> says (the PRAGMA holds per connection).</summary>
    private SqliteTransactions.Transaction BeginTransaction(SqliteSynchronous synchronous)
    {
        if (synchronous != current)
        {
            SqliteDatabase.Execute(connection, $"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}");
            current = synchronous;
        }

        return transactions.Begin();
    }

    private CommittedEntityBatch WriteBatch(EntityBatch batch)
    {
        upsertState.Bind(1, batch.Entity.Name).Bind(2, batch.Entity.Key).Bind(3, batch.StateJson).Run();
        if (batch.TotalsAreComplete)
        {
            deleteTotals.Bind(1, batch.Entity.Name).Bind(2, batch.Entity.Key).Run();
        }

        for (var start = 0; start < batch.Totals.Count; start += MaxEntriesPerTotalsRow)
        {
            insertTotals.Bind(1, batch.Entity.Name).Bind(2, batch.Entity.Key).Bind(3, nextTotalsSeq++)
                .Bind(4, TotalsJson(batch.Totals, start, Math.Min(MaxEntriesPerTotalsRow, batch.Totals.Count - start))).Run();
        }

        foreach (var id in batch.ConsumedMessageIds)
        {
            deleteMessage.Bind(1, id).Run();
        }

        var signals = InsertMessages(batch.Signals);
        var snapshots = new long[batch.Snapshots.Count];
        for (var index = 0; index < snapshots.Length; index++)
        {
            var id = nextOutboxId++;
            var part = 0;
            foreach (var stored in Parts(batch.Snapshots[index]))
            {
                JsonSerializer.Serialize(StartJson(), stored, CounterJsonContext.Default.SnapshotBatch);
                insertOutboxPart.Bind(1, id).Bind(2, part++).Bind(3, EndJson()).Run();
            }

            snapshots[index] = id;
        }

        return new CommittedEntityBatch(signals, snapshots);
    }

    /// <summary>The store's one JSON writer, over its one reused buffer, emptied.</summary>
    private Utf8JsonWriter StartJson()
    {
        json.ResetWrittenCount();
        jsonWriter.Reset(json);
        return jsonWriter;
    }

    /// <summary>What was written since <see cref="StartJson"/>, valid until it is called again.</summary>
    private ReadOnlySpan<byte> EndJson()
    {
        jsonWriter.Flush();
        return json.WrittenSpan;
    }

    /// <summary>The JSON array of <paramref name="count"/> entries from <paramref name="start"/>, without copying them out.</summary>
    private ReadOnlySpan<byte> TotalsJson(IReadOnlyList<TotalEntry> entries, int start, int count)
    {
        var writer = StartJson();
        writer.WriteStartArray();
        for (var index = start; index < start + count; index++)
        {
            JsonSerializer.Serialize(writer, entries[index], CounterJsonContext.Default.TotalEntry);
        }

        writer.WriteEndArray();
        return EndJson();
    }

    /// <summary>
    /// A snapshot stored in parts of at most <see cref="MaxRowsPerOutboxPart"/> rows, so that a snapshot of many counters
    /// is never one multi-megabyte value that the process and SQLite must buffer whole. The first part alone carries the
    /// removed counters: <see cref="ReadOutbox"/> gives a chunk the removals of the part it starts with, so they are
    /// written with the first chunk and not again with every later one.
    /// </summary>
    private static IEnumerable<SnapshotBatch> Parts(SnapshotBatch snapshot) => snapshot.Rows.Count <= MaxRowsPerOutboxPart
        ? [snapshot]
        : snapshot.Rows.Chunk(MaxRowsPerOutboxPart).Select((rows, index) => snapshot with { Rows = rows, Removed = index == 0 ? snapshot.Removed : null });

    private StoredMessage[] InsertMessages(IReadOnlyList<EntityMessage> messages)
    {
        var stored = new StoredMessage[messages.Count];
        for (var index = 0; index < stored.Length; index++)
        {
            var message = messages[index];
            var id = nextMessageId++;
            insertMessage.Bind(1, id).Bind(2, message.Target.Name).Bind(3, message.Target.Key).Bind(4, message.Operation)
                .Bind(5, message.InputJson).Bind(6, message.DueAt?.UtcTicks).Run();
            stored[index] = new StoredMessage(id, message);
        }

        return stored;
    }

    private long MaxId(string column, string table)
    {
        using var command = Query(connection, $"SELECT COALESCE(MAX({column}), 0) FROM {table}", EntitySelection.All);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The states of the <paramref name="selection"/>, each with its totals.</summary>
    private static List<StoredEntityState> LoadStates(SqliteConnection connection, EntitySelection selection)
    {
        var where = selection.Where;
        var totals = new Dictionary<EntityAddress, List<TotalEntry>>();
        using (var command = Query(connection, $"SELECT entity_name, entity_key, totals_json FROM entity_totals {where} ORDER BY entity_name, entity_key, seq", selection))
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var address = new EntityAddress(rows.GetString(0), rows.GetString(1));
                if (!totals.TryGetValue(address, out var entries))
                {
                    entries = [];
                    totals[address] = entries;
                }

                entries.AddRange(JsonSerializer.Deserialize((byte[])rows.GetValue(2), CounterJsonContext.Default.TotalEntryArray)
                    ?? throw new InvalidDataException($"A totals row of {address} holds no entries."));
            }
        }

        var states = new List<StoredEntityState>();
        using (var command = Query(connection, $"SELECT entity_name, entity_key, state_json FROM entity_state {where} ORDER BY entity_name, entity_key", selection))
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var address = new EntityAddress(rows.GetString(0), rows.GetString(1));
                states.Add(new StoredEntityState(address, (byte[])rows.GetValue(2), totals.GetValueOrDefault(address) ?? []));
            }
        }

        return states;
    }

    /// <summary>A command for <paramref name="sql"/>, with the parameters of <paramref name="selection"/>'s WHERE clause bound.</summary>
    private static SqliteCommand Query(SqliteConnection connection, string sql, EntitySelection selection)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        selection.Bind(command);
        return command;
    }

    /// <summary>The queued and scheduled messages of the <paramref name="selection"/>, in id order.</summary>
    private static List<StoredMessage> LoadMessages(SqliteConnection connection, EntitySelection selection)
    {
        using var command = Query(connection, $"SELECT id, entity_name, entity_key, operation, input_json, due_at_ticks FROM entity_message {selection.Where} ORDER BY id", selection);
        using var reader = command.ExecuteReader();
        var messages = new List<StoredMessage>();
        while (reader.Read())
        {
            var message = new EntityMessage(
                new EntityAddress(reader.GetString(1), reader.GetString(2)),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4),
                reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero));
            messages.Add(new StoredMessage(reader.GetInt64(0), message));
        }

        return messages;
    }

    private List<long> LoadOutbox()
    {
        using var command = Query(connection, "SELECT DISTINCT outbox_id FROM snapshot_outbox_part ORDER BY outbox_id", EntitySelection.All);
        using var reader = command.ExecuteReader();
        var outbox = new List<long>();
        while (reader.Read())
        {
            outbox.Add(reader.GetInt64(0));
        }

        return outbox;
    }
}
