using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Baseline;

/// <summary>
/// The service's answer to <c>GET /counters/{counter}</c>, field for field, so that the baseline's reads serialize as
/// much JSON as the service's. The baseline keeps no versions or times: it answers version 1 and the time it started.
/// </summary>
internal sealed record CounterValue(string Counter, long Value, long Version, DateTimeOffset UpdatedAt);

/// <summary>The service's answer to <c>GET /tenants/{tenant}/{counter}</c>, field for field, as <see cref="CounterValue"/> is.</summary>
internal sealed record TenantCounterValue(string Tenant, string Counter, long Value, DateTimeOffset UpdatedAt, string Mode);

/// <summary>Source-generated, as the service's JSON is: the baseline is published as a native executable too.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CounterValue))]
[JsonSerializable(typeof(TenantCounterValue))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
