using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>
/// A counter's identity: the tenant it belongs to and its name. Both parts are validated on creation,
/// so a <see cref="CounterKey"/> is always safe as a URL segment and as a Table Storage PartitionKey/RowKey.
/// </summary>
[JsonConverter(typeof(CounterKeyJsonConverter))]
public readonly record struct CounterKey : IComparable<CounterKey>
{
    public const string DefaultTenant = "default";

    // '/' cannot appear in either part, so it separates them unambiguously in the composite form.
    internal const char Separator = '/';

    // Keys are looked up several times on their way from a request to the totals (the shard's buffer, the totals, the
    // sets of changed counters), so the hash of both strings is computed once, when the key is made.
    private readonly int hashCode;

    private CounterKey(string tenant, string name)
    {
        Tenant = tenant;
        Name = name;
        hashCode = HashCode.Combine(tenant, name);
    }

    public string Tenant { get; }

    public string Name { get; }

    /// <summary>Creates a key, or throws <see cref="InvalidCounterKeyException"/> naming the part that is wrong.</summary>
    public static CounterKey Create(string? tenant, string? name)
    {
        KeyRules.ThrowIfInvalid(KeyRules.TenantField, tenant, KeyRules.MaxTenantLength);
        return new CounterKey(tenant!, CheckedName(name));
    }

    public static CounterKey InDefaultTenant(string? name) => Create(DefaultTenant, name);

    /// <summary>A key of this key's tenant, which was checked when this key was made, so only <paramref name="name"/> is.</summary>
    public CounterKey WithName(string? name) => new(Tenant, CheckedName(name));

    /// <summary>Parses the composite form written by <see cref="ToString"/>.</summary>
    public static CounterKey Parse(string composite)
    {
        ArgumentNullException.ThrowIfNull(composite);
        var separator = composite.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0)
        {
            throw new InvalidCounterKeyException(KeyRules.CounterField, composite, "is not of the form 'tenant/name'");
        }

        return Create(composite[..separator], composite[(separator + 1)..]);
    }

    public bool Equals(CounterKey other) =>
        hashCode == other.hashCode && string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(Tenant, other.Tenant, StringComparison.Ordinal);

    public override int GetHashCode() => hashCode;

    public int CompareTo(CounterKey other)
    {
        var byTenant = string.CompareOrdinal(Tenant, other.Tenant);
        return byTenant != 0 ? byTenant : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => string.Concat(Tenant, "/", Name);

    /// <summary>The length of <see cref="ToString"/>'s form in UTF-16 characters, for writers that build it themselves.</summary>
    internal int CompositeLength => (Tenant?.Length ?? 0) + 1 + (Name?.Length ?? 0);

    private static string CheckedName(string? name)
    {
        KeyRules.ThrowIfInvalid(KeyRules.CounterField, name, KeyRules.MaxNameLength);
        return name!;
    }
}
