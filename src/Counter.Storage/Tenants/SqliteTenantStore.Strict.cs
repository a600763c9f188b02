using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// Strict counters in their tenant_counter rows (mode <c>Strict</c>, <c>value</c>, <c>updated_at_ticks</c>). Batches
/// are group-committed (<see cref="StrictGroupCommitter"/>): a group is one write transaction in which each batch, in
/// the order queued, is decided by <see cref="StrictBatch.Apply"/> against the values the batches before it left, in a
/// savepoint of its own; so batches of one group stay independent and each all or nothing, and one fsync commits them.
/// </summary>
public sealed partial class SqliteTenantStore : IStrictCounterStore
{
    private const string BatchSavepoint = "strict_batch";

    public Task<StrictValue?> ReadStrictAsync(CounterKey counter, CancellationToken cancellationToken) => RunAsync(
        connection =>
        {
            using var command = Command(
                connection,
                $"SELECT value, updated_at_ticks FROM tenant_counter WHERE tenant = $tenant AND name = $name AND mode = '{StoredCounterMode.Strict}'",
                ("$tenant", counter.Tenant),
                ("$name", counter.Name));
            using var reader = command.ExecuteReader();
            return reader.Read() ? new StrictValue(counter, reader.GetInt64(0), At(reader.GetInt64(1))) : null;
        },
        cancellationToken);

    /// <summary>Queues the batch for the next group; completes once that group is committed.</summary>
    public Task<StrictApplied> ApplyStrictAsync(string tenant, IReadOnlyList<CounterOperation> operations, IdempotencyClaim? claim, CancellationToken cancellationToken) =>
        strictWriter.ApplyAsync(StrictRequest.Check(tenant, operations, claim), cancellationToken);

    /// <summary>
    /// Decides and stores a group in one transaction. A batch whose own code fails (its claim's answer) is rolled back
    /// to its savepoint and fails alone; a failure of the file fails the group, nothing of it committed.
    /// </summary>
    private void CommitStrictGroup(IReadOnlyList<StrictGroupCommitter.Pending> group) => Run(
        connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var statements = new StrictStatements(connection);
            // The earliest claim's time, so that no batch of the group finds purged a record still live at its own time.
            if (group.Select(static pending => pending.Request.Claim?.Now).Min() is { } claimedAt)
            {
                Purge(connection, claimedAt);
            }

            var changedAt = time.GetUtcNow().UtcTicks;
            foreach (var pending in group)
            {
                transaction.Save(BatchSavepoint);
                try
                {
                    pending.Decided(Decide(connection, statements, pending.Request, changedAt));
                }
                catch (Exception failure) when (failure is not SqliteException)
                {
                    transaction.Rollback(BatchSavepoint);
                    pending.Failed(failure);
                }

                transaction.Release(BatchSavepoint);
            }

            transaction.Commit();
            return group.Count;
        });

    /// <summary>A batch against the values held now: replayed if its claim's key has a live record, else applied and its claim stored unless refused.</summary>
    private static StrictApplied Decide(SqliteConnection connection, StrictStatements statements, StrictRequest request, long changedAt)
    {
        if (request.Claim is { } claim && ReadIdempotency(connection, claim.Scope, claim.Key, request.KeyHash!, claim.Now) is { } earlier)
        {
            return new StrictApplied(null, earlier);
        }

        var values = new Dictionary<string, long>(request.Counters.Count, StringComparer.Ordinal);
        foreach (var name in request.Counters)
        {
            if (statements.Value(request.Tenant, name) is { } value)
            {
                values[name] = value;
            }
        }

        var outcome = StrictBatch.Apply(values, request.Operations);
        if (outcome.Refusal is not null)
        {
            return new StrictApplied(outcome, null);
        }

        foreach (var (name, value) in outcome.Changes)
        {
            statements.Change(request.Tenant, name, value, changedAt);
        }

        if (request.RecordOf(outcome) is { } record)
        {
            // No live record of the key was found above, so an expired one (expiring by the claim's time) is overwritten.
            statements.Save(record, request.KeyHash!, request.Claim!.Now);
        }

        return new StrictApplied(outcome, null);
    }

    /// <summary>The statements of a group, prepared once for all its batches.</summary>
    private sealed class StrictStatements(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteStatement read = new(
            connection,
            $"SELECT value FROM tenant_counter WHERE tenant = ?1 AND name = ?2 AND mode = '{StoredCounterMode.Strict}'");

        private readonly SqliteStatement update = new(connection, "UPDATE tenant_counter SET value = ?3, updated_at_ticks = ?4 WHERE tenant = ?1 AND name = ?2");
        private readonly SqliteStatement delete = new(connection, "DELETE FROM tenant_counter WHERE tenant = ?1 AND name = ?2");
        private readonly SqliteStatement save = new(connection, SaveRecord);

        /// <summary>The strict counter's value, or null when there is none (a sharded counter is none).</summary>
        public long? Value(string tenant, string name) => read.Bind(1, tenant).Bind(2, name).QueryInt64();

        /// <summary>Sets the value, or deletes the counter's record for a null one, as <see cref="DeleteCounterAsync"/> does.</summary>
        public void Change(string tenant, string name, long? value, long changedAt)
        {
            if (value is { } changed)
            {
                update.Bind(1, tenant).Bind(2, name).Bind(3, changed).Bind(4, changedAt).Run();
            }
            else
            {
                delete.Bind(1, tenant).Bind(2, name).Run();
            }
        }

        /// <summary>Saves the record over any of its key expired at <paramref name="now"/>.</summary>
        public void Save(IdempotencyRecord record, string keyHash, DateTimeOffset now) => Bound(save, record, keyHash).Bind(7, now.UtcTicks).Run();

        public void Dispose()
        {
            read.Dispose();
            update.Dispose();
            delete.Dispose();
            save.Dispose();
        }
    }
}
