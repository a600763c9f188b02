namespace Counter.Core;

/// <summary>The operations on a counter, named as the API names them (<c>inc</c>, <c>inc_if</c>, …).</summary>
public enum OperationKind
{
    Inc,
    Dec,
    Get,
    Set,
    Del,
    IncIf,
    SetIf,
}

/// <summary>
/// One operation on one counter of a tenant. <paramref name="Amount"/> is what <c>inc</c>/<c>dec</c>/<c>inc_if</c> add or
/// subtract (by) and what <c>set</c>/<c>set_if</c> set (value); <paramref name="Condition"/> is that of <c>inc_if</c>/<c>set_if</c>.
/// </summary>
public sealed record CounterOperation(OperationKind Kind, string Counter, long Amount = 0, Condition? Condition = null)
{
    public bool IsConditional => Kind is OperationKind.IncIf or OperationKind.SetIf;

    public bool Mutates => Kind != OperationKind.Get;
}

/// <summary>
/// What an operation did: the counter's <paramref name="Value"/> after it and <paramref name="Previous"/> before it (both
/// the same when nothing was applied; 0 after <c>del</c>), and whether it was <paramref name="Applied"/>.
/// </summary>
public sealed record OperationResult(OperationKind Kind, string Counter, long Value, long Previous, bool Applied);
