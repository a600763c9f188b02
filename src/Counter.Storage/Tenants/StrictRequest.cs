using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// A strict batch as both stores take it, checked before anything is read, so that they refuse the same batches: the
/// tenant and every counter name follow <see cref="KeyRules"/>; 1 to <see cref="StrictBatch.MaxOperations"/>
/// operations, naming at most <see cref="MaxRows"/> distinct counters, one fewer with a claim (Table Storage changes
/// them, and verifies those only read, in one entity group transaction of at most 100 rows, the claim's row among
/// them); a claim is in the tenant's scope (its row shares the tenant's partition there).
/// </summary>
internal sealed record StrictRequest(string Tenant, IReadOnlyList<CounterOperation> Operations, IReadOnlyList<string> Counters, IdempotencyClaim? Claim, string? KeyHash)
{
    public const int MaxRows = 100;

    /// <summary>The batch, with its distinct counters in the order first named and its claim's key hash; else an exception saying what is wrong.</summary>
    public static StrictRequest Check(string tenant, IReadOnlyList<CounterOperation> operations, IdempotencyClaim? claim)
    {
        TenantArguments.Tenant(tenant);
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count is 0 or > StrictBatch.MaxOperations)
        {
            throw new ArgumentException($"A strict batch has 1 to {StrictBatch.MaxOperations} operations; this one has {operations.Count}.", nameof(operations));
        }

        var counters = operations.Count == 1 ? [CheckedName(tenant, operations[0])] : DistinctNames(tenant, operations);

        string? keyHash = null;
        if (claim is not null)
        {
            if (!string.Equals(claim.Scope, tenant, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The claim is in scope '{claim.Scope}', not in the batch's tenant '{tenant}'.", nameof(claim));
            }

            ArgumentNullException.ThrowIfNull(claim.Fingerprint, nameof(claim));
            ArgumentNullException.ThrowIfNull(claim.Answer, nameof(claim));
            keyHash = IdempotencyArguments.KeyHash(claim.Key);
        }

        if (counters.Count + (claim is null ? 0 : 1) > MaxRows)
        {
            throw new ArgumentException(
                $"A strict batch names at most {MaxRows} counters, {MaxRows - 1} with an idempotency key; this one names {counters.Count}{(claim is null ? "" : " and has a key")}.",
                nameof(operations));
        }

        return new StrictRequest(tenant, operations, counters, claim, keyHash);
    }

    /// <summary>The counters named, each once, in the order first named; a single operation (most strict incs) needs no set.</summary>
    private static List<string> DistinctNames(string tenant, IReadOnlyList<CounterOperation> operations)
    {
        var counters = new List<string>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (named.Add(CheckedName(tenant, operation)))
            {
                counters.Add(operation.Counter);
            }
        }

        return counters;
    }

    private static string CheckedName(string tenant, CounterOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation, "operations");
        return CounterKey.Create(tenant, operation.Counter).Name;
    }

    /// <summary>The record the claim keeps of <paramref name="outcome"/>, made by its answer; null without a claim.</summary>
    public IdempotencyRecord? RecordOf(StrictOutcome outcome) => Claim is { } claim && claim.Answer(outcome) is var answer
        ? new IdempotencyRecord(claim.Scope, claim.Key, claim.Fingerprint, answer.Status, answer.Body, claim.ExpiresAt)
        : null;
}
