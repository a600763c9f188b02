using System.Text;
using Counter.Core;
using Counter.Testing;
using Microsoft.Data.Sqlite;

namespace Counter.Storage.Tests;

public sealed class SqliteEntityStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory folder = new();

    [Fact]
    public void Appended_messages_are_there_after_reopening_in_id_order()
    {
        IReadOnlyList<StoredMessage> stored;
        using (var store = Open())
        {
            stored = store.Append([Message(EntityAddress.Shard(0), "add", "{\"a\":1}"), Message(EntityAddress.Shard(1), "write", null, Noon)]);
        }

        using var reopened = Open();
        var loaded = reopened.Load();
        Assert.Equal(stored.Select(message => message.Id), loaded.Messages.Select(message => message.Id));
        Assert.True(stored[0].Id < stored[1].Id);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(loaded.Messages[0].Message.InputJson!));
        Assert.Null(loaded.Messages[1].Message.InputJson);
        Assert.Equal(Noon, loaded.Messages[1].Message.DueAt);
        Assert.Equal(EntityAddress.Shard(1), loaded.Messages[1].Message.Target);
    }

    [Fact]
    public void A_committed_batch_replaces_its_messages_by_its_state_signals_and_snapshots()
    {
        var snapshot = new SnapshotBatch(1, Noon, [new SnapshotRow(CounterKey.InDefaultTenant("a"), 3, 1, Noon)]);
        CommittedEntityBatch committed;
        using (var store = Open())
        {
            var consumed = store.Append([Message(EntityAddress.Shard(0), "add", "{}"), Message(EntityAddress.Shard(0), "add", "{}")]);
            var untouched = store.Append([Message(EntityAddress.Shard(0), "add", "{}")]);
            committed = Commit(store, new EntityBatch(
                EntityAddress.Shard(0),
                Encoding.UTF8.GetBytes("{\"state\":1}"),
                [],
                false,
                consumed.Select(message => message.Id).ToList(),
                [Message(EntityAddress.Global, "merge", "{}"), Message(EntityAddress.Shard(0), "tick", "{}", Noon)],
                [snapshot]));
            Assert.True(committed.Signals[0].Id > untouched[0].Id);
        }

        using var reopened = Open();
        var loaded = reopened.Load();
        var state = Assert.Single(loaded.States);
        Assert.Equal(EntityAddress.Shard(0), state.Entity);
        Assert.Equal("{\"state\":1}", Encoding.UTF8.GetString(state.StateJson));
        Assert.Equal(["add", "merge", "tick"], loaded.Messages.Select(message => message.Message.Operation));
        var outbox = Assert.Single(loaded.Outbox);
        Assert.Equal(committed.Snapshots[0], outbox);
        Assert.Equal(snapshot.Rows, reopened.ReadOutbox(outbox, 0, SqliteEntityStore.MaxRowsPerOutboxPart)!.Snapshot.Rows);
    }

    [Fact]
    public void Totals_kept_on_their_own_are_read_back_in_the_order_written_until_a_complete_write_replaces_them()
    {
        var a = CounterKey.InDefaultTenant("a");
        var b = CounterKey.Create("acme", "a");
        var many = Enumerable.Range(0, SqliteEntityStore.MaxEntriesPerTotalsRow + 1)
            .Select(index => new TotalEntry(CounterKey.InDefaultTenant($"m{index}"), index, 0))
            .ToArray();
        using (var store = Open())
        {
            Commit(store, new EntityBatch(EntityAddress.Global, "{\"v\":1}"u8.ToArray(), [new TotalEntry(a, 1, 1), new TotalEntry(b, 2, 1)], false, [], [], []));
            Commit(store, new EntityBatch(EntityAddress.Global, "{\"v\":2}"u8.ToArray(), [new TotalEntry(a, 5, 2)], false, [], [], []));
            Commit(store, new EntityBatch(EntityAddress.Shard(0), "{}"u8.ToArray(), [], false, [], [], []));

            var read = store.ReadState(EntityAddress.Global)!;
            Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(read.StateJson));
            Assert.Equal([new TotalEntry(a, 1, 1), new TotalEntry(b, 2, 1), new TotalEntry(a, 5, 2)], read.Totals);
            Assert.Null(store.ReadState(EntityAddress.Shard(1)));

            Commit(store, new EntityBatch(EntityAddress.Global, "{\"v\":3}"u8.ToArray(), many, true, [], [], []));
        }

        using var reopened = Open();
        var states = reopened.Load().States;
        Assert.Equal(many, states.Single(state => state.Entity == EntityAddress.Global).Totals);
        Assert.Empty(states.Single(state => state.Entity == EntityAddress.Shard(0)).Totals);
    }

    [Fact]
    public void A_large_snapshot_is_stored_in_bounded_parts_and_read_back_in_chunks_of_whole_parts()
    {
        var rowCount = (2 * SqliteEntityStore.MaxRowsPerOutboxPart) + 7;
        var rows = Enumerable.Range(0, rowCount)
            .Select(index => new SnapshotRow(CounterKey.InDefaultTenant($"c{index:D5}"), index, 4, Noon))
            .ToArray();
        CommittedEntityBatch committed;
        using (var store = Open())
        {
            committed = Commit(store, new EntityBatch(EntityAddress.Global, "{}"u8.ToArray(), [], false, [], [], [new SnapshotBatch(4, Noon, rows), new SnapshotBatch(5, Noon, [])]));
        }

        Assert.Equal(3, PartsOf(committed.Snapshots[0]));
        using var reopened = Open();
        var outbox = reopened.Load().Outbox;
        Assert.Equal(committed.Snapshots, outbox);

        var first = reopened.ReadOutbox(outbox[0], 0, 2 * SqliteEntityStore.MaxRowsPerOutboxPart)!;
        Assert.Equal((4L, Noon, 2), (first.Snapshot.Version, first.Snapshot.At, first.NextPart));
        Assert.Equal(rows[..(2 * SqliteEntityStore.MaxRowsPerOutboxPart)], first.Snapshot.Rows);
        var rest = reopened.ReadOutbox(outbox[0], first.NextPart, 1)!;
        Assert.Equal((4L, 3), (rest.Snapshot.Version, rest.NextPart));
        Assert.Equal(rows[(2 * SqliteEntityStore.MaxRowsPerOutboxPart)..], rest.Snapshot.Rows);
        Assert.Null(reopened.ReadOutbox(outbox[0], rest.NextPart, 1));
        Assert.Empty(reopened.ReadOutbox(outbox[1], 0, 1)!.Snapshot.Rows);

        reopened.DeleteOutbox(outbox[0]);
        Assert.Equal(0, PartsOf(outbox[0]));
        Assert.Null(reopened.ReadOutbox(outbox[0], 0, 1));
    }

    [Fact]
    public void Removed_counters_survive_the_outbox_carried_by_the_first_part_of_a_large_snapshot_only()
    {
        var rows = Enumerable.Range(0, SqliteEntityStore.MaxRowsPerOutboxPart + 1)
            .Select(index => new SnapshotRow(CounterKey.InDefaultTenant($"c{index:D5}"), index, 4, Noon))
            .ToArray();
        CounterKey[] removed = [CounterKey.InDefaultTenant("gone"), CounterKey.Create("東京", "ü:x")];
        CommittedEntityBatch committed;
        using (var store = Open())
        {
            committed = Commit(store, new EntityBatch(
                EntityAddress.Global,
                "{}"u8.ToArray(),
                [],
                false,
                [],
                [],
                [new SnapshotBatch(4, Noon, rows, removed), new SnapshotBatch(5, Noon, [], [CounterKey.InDefaultTenant("alone")]), new SnapshotBatch(6, Noon, [])]));
        }

        Assert.Equal(2, PartsOf(committed.Snapshots[0]));
        using var reopened = Open();
        var whole = reopened.ReadOutbox(committed.Snapshots[0], 0, 2 * SqliteEntityStore.MaxRowsPerOutboxPart)!;
        var first = reopened.ReadOutbox(committed.Snapshots[0], 0, 1)!;
        var second = reopened.ReadOutbox(committed.Snapshots[0], first.NextPart, 1)!;
        Assert.Equal(rows, whole.Snapshot.Rows);
        Assert.Equal(removed, whole.Snapshot.Removed);
        Assert.Equal(removed, first.Snapshot.Removed);
        Assert.Null(second.Snapshot.Removed);
        Assert.Equal(rows[SqliteEntityStore.MaxRowsPerOutboxPart..], second.Snapshot.Rows);
        Assert.Equal([CounterKey.InDefaultTenant("alone")], reopened.ReadOutbox(committed.Snapshots[1], 0, 1)!.Snapshot.Removed);
        Assert.Null(reopened.ReadOutbox(committed.Snapshots[2], 0, 1)!.Snapshot.Removed);
    }

    [Fact]
    public void Snapshots_in_the_outbox_of_an_earlier_version_are_still_delivered()
    {
        var snapshot = new SnapshotBatch(3, Noon, [new SnapshotRow(CounterKey.InDefaultTenant("a"), 9, 3, Noon)]);
        using (var connection = new SqliteConnection($"Data Source={folder.File("entities.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE snapshot_outbox (id INTEGER PRIMARY KEY, batch_json BLOB NOT NULL); INSERT INTO snapshot_outbox VALUES (7, $json)";
            command.Parameters.AddWithValue("$json", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(snapshot, CounterJsonContext.Default.SnapshotBatch));
            command.ExecuteNonQuery();
        }

        using var store = Open();
        Assert.Equal(7, Assert.Single(store.Load().Outbox));
        Assert.Equal(snapshot.Rows, store.ReadOutbox(7, 0, 1)!.Snapshot.Rows);
        Assert.True(Commit(store, new EntityBatch(EntityAddress.Global, "{}"u8.ToArray(), [], false, [], [], [snapshot])).Snapshots[0] > 7);
    }

    [Fact]
    public void A_batch_that_fails_to_commit_leaves_nothing_behind_and_the_next_one_commits()
    {
        using var store = Open();
        var consumed = store.Append([Message(EntityAddress.Shard(0), "add", "{}")]);
        var snapshot = new SnapshotBatch(1, Noon, []);

        // A null state violates NOT NULL after the signals were inserted: the whole transaction must roll back.
        Assert.ThrowsAny<Exception>(() => Commit(store, new EntityBatch(
            EntityAddress.Shard(0), null!, [], false, [consumed[0].Id], [Message(EntityAddress.Global, "merge", "{}")], [snapshot])));

        var loaded = store.Load();
        Assert.Empty(loaded.States);
        Assert.Equal([consumed[0].Id], loaded.Messages.Select(message => message.Id));
        Assert.Empty(loaded.Outbox);

        // The failed transaction was rolled back, not left open: the next group begins and commits its own.
        Commit(store, new EntityBatch(EntityAddress.Shard(0), Encoding.UTF8.GetBytes("{\"state\":2}"), [], false, [consumed[0].Id], [], []));
        using var reopened = Open();
        Assert.Equal("{\"state\":2}", Encoding.UTF8.GetString(Assert.Single(reopened.Load().States).StateJson));
        Assert.Empty(reopened.Load().Messages);
    }

    [Fact]
    public void Ids_keep_increasing_after_reopening()
    {
        long last;
        using (var store = Open())
        {
            last = store.Append([Message(EntityAddress.Shard(0), "add", "{}")])[0].Id;
        }

        using var reopened = Open();
        Assert.True(reopened.Append([Message(EntityAddress.Shard(0), "add", "{}")])[0].Id > last);
    }

    [Fact]
    public void A_deleted_outbox_entry_is_gone_after_reopening()
    {
        using (var store = Open())
        {
            var committed = Commit(store, new EntityBatch(EntityAddress.Global, "{}"u8.ToArray(), [], false, [], [], [new SnapshotBatch(1, Noon, []), new SnapshotBatch(2, Noon, [])]));
            store.DeleteOutbox(committed.Snapshots[0]);
        }

        using var reopened = Open();
        Assert.Equal(2, reopened.ReadOutbox(Assert.Single(reopened.Load().Outbox), 0, 1)!.Snapshot.Version);
    }

    [Fact]
    public void Commits_leave_their_frames_in_the_write_ahead_log_past_sqlites_default_of_1000_pages_and_read_back()
    {
        // 1,500 commits of one message each, 4 KB of input apiece, are 1,500+ frames: with the default the log would
        // have been checkpointed and restarted at 1,000 and stayed near 4 MB.
        var input = new string('x', 4000);
        var path = folder.File("entities.db");
        using (var store = Open())
        {
            for (var index = 0; index < 1500; index++)
            {
                store.Append([Message(EntityAddress.Shard(0), "add", input)]);
            }

            Assert.True(new FileInfo(path + "-wal").Length > 1200 * 4096, $"The write-ahead log is {new FileInfo(path + "-wal").Length} bytes.");
        }

        using var reopened = Open();
        Assert.Equal(1500, reopened.Load().Messages.Count);
    }

    public void Dispose() => folder.Dispose();

    private long PartsOf(long outboxId)
    {
        using var connection = new SqliteConnection($"Data Source={folder.File("entities.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM snapshot_outbox_part WHERE outbox_id = $id";
        command.Parameters.AddWithValue("$id", outboxId);
        return (long)command.ExecuteScalar()!;
    }

    private SqliteEntityStore Open() => SqliteEntityStore.Open(folder.File("entities.db"), SqliteSynchronous.Full);

    private static EntityMessage Message(EntityAddress target, string operation, string? input, DateTimeOffset? dueAt = null) =>
        new(target, operation, input is null ? null : Encoding.UTF8.GetBytes(input), dueAt);

    private static CommittedEntityBatch Commit(SqliteEntityStore store, EntityBatch batch) => store.CommitGroup([], [batch]).Batches[0];
}
