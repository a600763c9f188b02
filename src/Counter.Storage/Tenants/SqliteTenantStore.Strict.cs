using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// Strict counters in their tenant_counter rows (mode <c>Strict</c>, <c>value</c>, <c>updated_at_ticks</c>). Batches
/// are group-committed (<see cref="SqliteGroupCommitter{TRequest, TResult}"/>): a group is one write transaction in which each batch, in
/// the order queued, is decided by <see cref="StrictBatch.Apply"/> against the values the batches before it left, and
/// only then written; so batches of one group stay independent and each all or nothing, and one fsync commits them.
/// </summary>
public sealed partial class SqliteTenantStore : IStrictCounterStore, IDisposable
{
    private SqliteConnection? strictConnection;
    private StrictStatements? strictStatements;

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
    /// Decides and stores a group in one transaction. A batch is decided in full (its values read, its outcome and its
    /// claim's answer made) before anything of it is written, so a batch whose own code fails fails alone with nothing
    /// of it written, without a savepoint per batch (two more statements parsed and run per strict inc); what is then
    /// written is SQLite's alone, and a failure of the file fails the group, nothing of it committed.
    /// </summary>
    private void CommitStrictGroup(IReadOnlyList<SqliteGroupCommitter<StrictRequest, StrictApplied>.Pending> group) => RunStrict(
        (connection, statements) =>
        {
            using var transaction = statements.Begin();
            // The earliest claim's time, so that no batch of the group finds purged a record still live at its own time.
            if (group.Select(static pending => pending.Request.Claim?.Now).Min() is { } claimedAt)
            {
                Purge(connection, claimedAt);
            }

            var changedAt = time.GetUtcNow().UtcTicks;
            foreach (var pending in group)
            {
                StrictDecision decision;
                try
                {
                    decision = Decide(connection, statements, pending.Request);
                }
                catch (Exception failure) when (failure is not SqliteException)
                {
                    pending.Failed(failure);
                    continue;
                }

                Write(statements, pending.Request, decision, changedAt);
                pending.Decided(decision.Applied);
            }

            transaction.Commit();
        });

    /// <summary>A batch against the values held now: replayed if its claim's key has a live record, else its outcome and, unless refused, the record of its claim.</summary>
    private static StrictDecision Decide(SqliteConnection connection, StrictStatements statements, StrictRequest request)
    {
        if (request.Claim is { } claim && ReadIdempotency(connection, claim.Scope, claim.Key, request.KeyHash!, claim.Now) is { } earlier)
        {
            return new StrictDecision(new StrictApplied(null, earlier), null);
        }

        var values = new Dictionary<string, long>(request.Counters.Count, StringComparer.Ordinal);
        // By index: a foreach over the interface allocates an enumerator for every batch.
        for (var index = 0; index < request.Counters.Count; index++)
        {
            var name = request.Counters[index];
            if (statements.Value(request.Tenant, name) is { } value)
            {
                values[name] = value;
            }
        }

        var outcome = StrictBatch.Apply(values, request.Operations);
        return new StrictDecision(new StrictApplied(outcome, null), outcome.Refusal is null ? request.RecordOf(outcome) : null);
    }

    /// <summary>Writes what <paramref name="decision"/> applied: the counters' new values and its claim's record.</summary>
    private static void Write(StrictStatements statements, StrictRequest request, StrictDecision decision, long changedAt)
    {
        if (decision.Applied.Outcome is not { Refusal: null } outcome)
        {
            return;
        }

        foreach (var (name, value) in outcome.Changes)
        {
            statements.Change(request.Tenant, name, value, changedAt);
        }

        if (decision.Record is { } record)
        {
            // No live record of the key was found above, so an expired one (expiring by the claim's time) is overwritten.
            statements.Save(record, request.KeyHash!, request.Claim!.Now);
        }
    }

    /// <summary>What a batch comes to before anything of it is written.</summary>
    private sealed record StrictDecision(StrictApplied Applied, IdempotencyRecord? Record);

    /// <summary>
    /// Runs a group on the strict writer's own connection and statements, opened and prepared at its first group and
    /// kept (the group committer runs one group at a time): a connection from the pool ran its two PRAGMAs, and each
    /// group prepared its four statements, again for every group. A failure of the file closes them, so that the next
    /// group starts on a fresh connection.
    /// </summary>
    private void RunStrict(Action<SqliteConnection, StrictStatements> commit)
    {
        try
        {
            strictConnection ??= SqliteDatabase.Open(path, synchronous, pooled: false);
            strictStatements ??= new StrictStatements(strictConnection);
            commit(strictConnection, strictStatements);
        }
        catch (SqliteException failure)
        {
            CloseStrictWriter();
            if (IsUnavailable(failure))
            {
                throw Unavailable(failure);
            }

            throw;
        }
    }

    /// <summary>Closes the strict writer's connection; a strict batch after it opens a new one.</summary>
    public void Dispose() => CloseStrictWriter();

    private void CloseStrictWriter()
    {
        strictStatements?.Dispose();
        strictStatements = null;
        strictConnection?.Dispose();
        strictConnection = null;
    }

    /// <summary>The strict writer's statements, prepared once for every group on its connection.</summary>
    private sealed class StrictStatements(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteStatement read = new(
            connection,
            $"SELECT value FROM tenant_counter WHERE tenant = ?1 AND name = ?2 AND mode = '{StoredCounterMode.Strict}'");

        private readonly SqliteStatement update = new(connection, "UPDATE tenant_counter SET value = ?3, updated_at_ticks = ?4 WHERE tenant = ?1 AND name = ?2");
        private readonly SqliteStatement delete = new(connection, "DELETE FROM tenant_counter WHERE tenant = ?1 AND name = ?2");
        private readonly SqliteStatement save = new(connection, SaveRecord);
        private readonly SqliteTransactions transactions = new(connection);

        public SqliteTransactions.Transaction Begin() => transactions.Begin();

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
            transactions.Dispose();
        }
    }
}
