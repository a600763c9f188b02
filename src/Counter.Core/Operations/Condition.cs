namespace Counter.Core;

/// <summary>How a conditional operation compares a counter's current value with <see cref="Condition.Operand"/>.</summary>
public enum Comparator
{
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// <summary>The condition of <c>inc_if</c> and <c>set_if</c>: the current value <see cref="Comparator"/> <see cref="Operand"/>.</summary>
public sealed record Condition(Comparator Comparator, long Operand)
{
    public bool HoldsFor(long value) => Comparator switch
    {
        Comparator.Eq => value == Operand,
        Comparator.Ne => value != Operand,
        Comparator.Gt => value > Operand,
        Comparator.Ge => value >= Operand,
        Comparator.Lt => value < Operand,
        Comparator.Le => value <= Operand,
        _ => throw new ArgumentOutOfRangeException(nameof(Comparator), Comparator, "Not a comparator."),
    };
}
