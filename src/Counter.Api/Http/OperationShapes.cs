using System.Globalization;
using Counter.Core;

namespace Counter.Api;

/// <summary>Turns the JSON operations of <c>POST /tenants/{tenant}/ops</c> into the core's, refusing anything ill-formed with 400 naming it.</summary>
internal static class OperationShapes
{
    public const string Batch = """a JSON array of 1 to 100 operations like {"op":"inc_if","counter":"exports","by":1,"if":{"lt":100}}""";

    private static readonly Dictionary<string, OperationKind> Kinds = new(StringComparer.Ordinal)
    {
        ["inc"] = OperationKind.Inc,
        ["dec"] = OperationKind.Dec,
        ["get"] = OperationKind.Get,
        ["set"] = OperationKind.Set,
        ["del"] = OperationKind.Del,
        ["inc_if"] = OperationKind.IncIf,
        ["set_if"] = OperationKind.SetIf,
    };

    /// <summary>Each kind's name, for the answers: looked up per strict answer, where searching <see cref="Kinds"/> allocated an enumerator.</summary>
    private static readonly Dictionary<OperationKind, string> Names = Kinds.ToDictionary(static entry => entry.Value, static entry => entry.Key);

    private static readonly Dictionary<string, Comparator> Comparators = new(StringComparer.Ordinal)
    {
        ["eq"] = Comparator.Eq,
        ["ne"] = Comparator.Ne,
        ["gt"] = Comparator.Gt,
        ["ge"] = Comparator.Ge,
        ["lt"] = Comparator.Lt,
        ["le"] = Comparator.Le,
    };

    /// <summary>The tenant-wide operation, which goes alone in its batch.</summary>
    public const string Clear = "clear";

    /// <summary>Whether the batch is <c>[{"op":"clear"}]</c>; 400 for a clear with anything else.</summary>
    public static bool IsClear(OperationRequest[] requests)
    {
        if (!requests.Any(static request => request?.Op == Clear))
        {
            return false;
        }

        return requests is [{ Counter: null, By: null, Value: null, If: null }]
            ? true
            : throw new RequestValidationException("body", """'clear' goes alone in its batch, without counter, by, value or if: [{"op":"clear"}].""");
    }

    public static string NameOf(OperationKind kind) => Names[kind];

    public static IReadOnlyList<CounterOperation> Parse(OperationRequest[] requests, int max)
    {
        if (requests.Length is 0 || requests.Length > max)
        {
            throw new RequestValidationException("body", $"A batch has 1 to {max} operations; it had {requests.Length}.");
        }

        return [.. requests.Select(Parse)];
    }

    private static CounterOperation Parse(OperationRequest request, int index)
    {
        var field = string.Create(CultureInfo.InvariantCulture, $"[{index}]");
        if (request is null || request.Op is null || !Kinds.TryGetValue(request.Op, out var kind))
        {
            throw new RequestValidationException(field, $"Operation {index}: 'op' must be one of {string.Join(", ", Kinds.Keys)} (or {Clear}, alone); it was '{request?.Op}'.");
        }

        // Checked for the rules of names here, so that the message names the operation.
        var counter = KeyRules.Explain(request.Counter, KeyRules.MaxNameLength) is { } problem
            ? throw new RequestValidationException(field, $"Operation {index}: 'counter' {problem}.")
            : request.Counter!;
        var conditional = kind is OperationKind.IncIf or OperationKind.SetIf;
        var condition = request.If switch
        {
            null when conditional => throw new RequestValidationException(field, $"Operation {index}: {request.Op} needs 'if' with one comparator, e.g. {{\"lt\":100}}."),
            null => null,
            _ when !conditional => throw new RequestValidationException(field, $"Operation {index}: only inc_if and set_if take 'if'."),
            { Count: 1 } one when Comparators.TryGetValue(one.Keys.First(), out var comparator) => new Condition(comparator, one.Values.First()),
            _ => throw new RequestValidationException(field, $"Operation {index}: 'if' holds exactly one of {string.Join(", ", Comparators.Keys)}."),
        };
        var amount = kind switch
        {
            OperationKind.Set or OperationKind.SetIf => request.Value ?? throw new RequestValidationException(field, $"Operation {index}: {request.Op} needs 'value'."),
            OperationKind.Inc or OperationKind.Dec or OperationKind.IncIf => request.Value is null
                ? request.By ?? 1
                : throw new RequestValidationException(field, $"Operation {index}: {request.Op} takes 'by', not 'value'."),
            _ => request.By is null && request.Value is null ? 0 : throw new RequestValidationException(field, $"Operation {index}: {request.Op} takes neither 'by' nor 'value'."),
        };
        if (kind is OperationKind.Set or OperationKind.SetIf && request.By is not null)
        {
            throw new RequestValidationException(field, $"Operation {index}: {request.Op} takes 'value', not 'by'.");
        }

        return new CounterOperation(kind, counter, amount, condition);
    }
}
