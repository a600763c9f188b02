namespace Counter.Api;

/// <summary>Who sent a request, by its <c>X-API-Key</c>: nobody, an operator, or a tenant (with the id of the key used).</summary>
public sealed record Caller(CallerKind Kind, string? Tenant = null, string? KeyId = null)
{
    public static readonly Caller Anonymous = new(CallerKind.Anonymous);
    public static readonly Caller Unknown = new(CallerKind.Unknown);
    public static readonly Caller Operator = new(CallerKind.Operator);
}

public enum CallerKind
{
    /// <summary>No key was sent.</summary>
    Anonymous,

    /// <summary>A key was sent that no operator or tenant holds.</summary>
    Unknown,

    Operator,
    Tenant,
}
