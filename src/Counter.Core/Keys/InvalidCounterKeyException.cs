namespace Counter.Core;

/// <summary>A tenant or counter name, or a prefix of names, that breaks <see cref="KeyRules"/>. Hosts answer it with 400.</summary>
public sealed class InvalidCounterKeyException : ArgumentException
{
    public InvalidCounterKeyException(string field, string? value, string reason)
        : base($"The {field} '{value}' {reason}.")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>Which part of the key is wrong: <see cref="KeyRules.CounterField"/>, <see cref="KeyRules.TenantField"/> or <see cref="KeyRules.PrefixField"/>.</summary>
    public string Field { get; }

    public string Reason { get; }

    // Given here rather than to the base constructor, which would append "(Parameter '…')" to the message users see.
    public override string ParamName => Field;
}
