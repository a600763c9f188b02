using Counter.Core;

namespace Counter.Api;

/// <summary>A tenant key just made: the key itself, shown once and never kept, and the record kept of it.</summary>
public sealed record IssuedKey(string Key, TenantKeyRecord Record);
