using Counter.Core;
using Microsoft.Data.Sqlite;

namespace Counter.Storage;

/// <summary>
/// Idempotency records in tenants.db's idempotency table, by scope and key hash (<see cref="IdempotencyArguments"/>).
/// An expired record is absent to every read and is overwritten by the next save of its key; each write that saves
/// records also deletes up to <see cref="PurgeBatch"/> expired ones, found by their expiry's index, so that the table
/// holds little more than the records still live.
/// </summary>
public sealed partial class SqliteTenantStore : IIdempotencyStore
{
    /// <summary>Expired records deleted at most per write: enough to keep up with the writes, cheap to find.</summary>
    internal const int PurgeBatch = 64;

    private const string SaveRecord = """
        INSERT INTO idempotency (scope, key_hash, fingerprint, status, body, expires_at_ticks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (scope, key_hash) DO UPDATE SET
            fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, expires_at_ticks = excluded.expires_at_ticks
        WHERE idempotency.expires_at_ticks <= ?7
        """;

    private const string PurgeExpired = """
        DELETE FROM idempotency WHERE (scope, key_hash) IN (
            SELECT scope, key_hash FROM idempotency WHERE expires_at_ticks <= ?1 ORDER BY expires_at_ticks LIMIT ?2)
        """;

    public Task<IdempotencyRecord?> ReadIdempotencyAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IdempotencyArguments.Scope(scope);
        var keyHash = IdempotencyArguments.KeyHash(key);
        return RunAsync(connection => ReadIdempotency(connection, scope, key, keyHash, now), cancellationToken);
    }

    /// <summary>False, changing nothing (the purge included), when the key has a record unexpired at <paramref name="now"/>.</summary>
    public Task<bool> TrySaveIdempotencyAsync(IdempotencyRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keyHash = IdempotencyArguments.KeyHashOf(record);
        return WriteAsync(
            connection =>
            {
                Purge(connection, now);
                using var save = new SqliteStatement(connection, SaveRecord);
                return Bound(save, record, keyHash).Bind(7, now.UtcTicks).RunCountingChanges() > 0;
            },
            cancellationToken);
    }

    /// <summary>The record of the key unexpired at <paramref name="now"/>, read in the connection's transaction if it has one.</summary>
    private static IdempotencyRecord? ReadIdempotency(SqliteConnection connection, string scope, string key, string keyHash, DateTimeOffset now)
    {
        using var command = Command(
            connection,
            "SELECT fingerprint, status, body, expires_at_ticks FROM idempotency WHERE scope = $scope AND key_hash = $hash AND expires_at_ticks > $now",
            ("$scope", scope),
            ("$hash", keyHash),
            ("$now", now.UtcTicks));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new IdempotencyRecord(scope, key, reader.GetString(0), reader.GetInt32(1), reader.GetString(2), At(reader.GetInt64(3))) : null;
    }

    private static void Purge(SqliteConnection connection, DateTimeOffset now)
    {
        using var purge = new SqliteStatement(connection, PurgeExpired);
        purge.Bind(1, now.UtcTicks).Bind(2, PurgeBatch).Run();
    }

    private static SqliteStatement Bound(SqliteStatement save, IdempotencyRecord record, string keyHash) =>
        save.Bind(1, record.Scope).Bind(2, keyHash).Bind(3, record.Fingerprint).Bind(4, record.Status).Bind(5, record.Body).Bind(6, record.ExpiresAt.UtcTicks);
}
