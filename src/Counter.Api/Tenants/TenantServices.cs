using Counter.Core;

namespace Counter.Api;

/// <summary>What the tenant routes work with, in one parameter: keys, the directory, strict counters and their mirror on the read path, idempotency, the clock.</summary>
public sealed record TenantServices(ApiKeyAccess Access, TenantDirectory Directory, IStrictCounterStore Strict, StrictMirror Mirror, IdempotentRequests Idempotency, TimeProvider Time);
