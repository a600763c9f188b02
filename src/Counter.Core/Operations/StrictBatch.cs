namespace Counter.Core;

/// <summary>
/// The rule of strict counters: a batch of operations applied in order, all or nothing, against the values the store
/// holds. A condition that does not hold, a counter that does not exist (or was deleted earlier in the batch), or a
/// value that would leave the 64-bit range stops the batch: nothing of it is applied. A single conditional operation
/// whose condition does not hold is not a failure: it is answered, not applied.
/// </summary>
public static class StrictBatch
{
    public const int MaxOperations = 100;

    /// <summary>Applies <paramref name="operations"/> to <paramref name="values"/>: the current value of every strict counter they name that exists.</summary>
    public static StrictOutcome Apply(IReadOnlyDictionary<string, long> values, IReadOnlyList<CounterOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(operations);
        var current = new Dictionary<string, long?>(StringComparer.Ordinal);
        var results = new OperationResult[operations.Count];
        for (var index = 0; index < operations.Count; index++)
        {
            var operation = operations[index];
            var value = current.TryGetValue(operation.Counter, out var changed) ? changed : values.TryGetValue(operation.Counter, out var held) ? held : null;
            if (value is not { } before)
            {
                return StrictOutcome.Refused(index, StrictRefusal.NotFound, $"The strict counter '{operation.Counter}' does not exist.");
            }

            if (operation.Condition is { } condition && !condition.HoldsFor(before))
            {
                if (operations.Count == 1)
                {
                    return new StrictOutcome([new OperationResult(operation.Kind, operation.Counter, before, before, Applied: false)], new Dictionary<string, long?>());
                }

                return StrictOutcome.Refused(index, StrictRefusal.ConditionFailed, $"The condition of operation {index} ({operation.Kind} '{operation.Counter}') does not hold: the value is {before}.");
            }

            long? after = operation.Kind switch
            {
                OperationKind.Inc or OperationKind.IncIf => Checked(before, operation.Amount, negate: false),
                OperationKind.Dec => Checked(before, operation.Amount, negate: true),
                OperationKind.Set or OperationKind.SetIf => operation.Amount,
                OperationKind.Get => before,
                OperationKind.Del => null,
                _ => throw new ArgumentOutOfRangeException(nameof(operations), operation.Kind, "Not an operation kind."),
            };
            if (after is null && operation.Kind != OperationKind.Del)
            {
                return StrictOutcome.Refused(index, StrictRefusal.OutOfRange, $"Operation {index} ({operation.Kind} {operation.Amount} on '{operation.Counter}', value {before}) would leave the range of a 64-bit integer.");
            }

            if (operation.Mutates)
            {
                current[operation.Counter] = after;
            }

            results[index] = new OperationResult(operation.Kind, operation.Counter, after ?? 0, before, Applied: true);
        }

        return new StrictOutcome(results, current);
    }

    private static long? Checked(long value, long amount, bool negate)
    {
        try
        {
            return negate ? checked(value - amount) : checked(value + amount);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}

/// <summary>Why a strict batch was refused; nothing of it was applied.</summary>
public enum StrictRefusal
{
    NotFound,
    ConditionFailed,
    OutOfRange,
}

/// <summary>
/// The outcome of a strict batch: its <see cref="Results"/> in input order and the <see cref="Changes"/> to store
/// (a null value deletes the counter); or, when <see cref="Refusal"/> is set, nothing to store, and why.
/// </summary>
public sealed record StrictOutcome(IReadOnlyList<OperationResult> Results, IReadOnlyDictionary<string, long?> Changes)
{
    public StrictRefusal? Refusal { get; private init; }

    /// <summary>The index of the operation that stopped the batch.</summary>
    public int RefusedAt { get; private init; } = -1;

    public string? Reason { get; private init; }

    public static StrictOutcome Refused(int index, StrictRefusal refusal, string reason) =>
        new([], new Dictionary<string, long?>()) { Refusal = refusal, RefusedAt = index, Reason = reason };
}
