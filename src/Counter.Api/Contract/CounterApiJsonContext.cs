using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Api;

/// <summary>Source-generated JSON for every response body of the contract.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IncrementAccepted))]
[JsonSerializable(typeof(IncrementsAccepted))]
[JsonSerializable(typeof(CounterPage))]
[JsonSerializable(typeof(CounterValue))]
[JsonSerializable(typeof(GlobalCounters))]
[JsonSerializable(typeof(GlobalWrites))]
[JsonSerializable(typeof(GlobalShardWrites))]
[JsonSerializable(typeof(GlobalShards))]
[JsonSerializable(typeof(ShardView))]
[JsonSerializable(typeof(ShardWriteAccepted))]
[JsonSerializable(typeof(ResetAccepted))]
[JsonSerializable(typeof(TenantKeyIssued))]
[JsonSerializable(typeof(TenantList))]
[JsonSerializable(typeof(TenantCounterPage))]
[JsonSerializable(typeof(TenantCounterValue))]
[JsonSerializable(typeof(TenantIncrementAccepted))]
[JsonSerializable(typeof(TenantSetAccepted))]
[JsonSerializable(typeof(StrictResult))]
[JsonSerializable(typeof(StrictResult[]))]
[JsonSerializable(typeof(TenantOriginsView))]
public sealed partial class CounterApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Writes counter names as they are (<c>"café"</c>, not <c>"caf\u00E9"</c>). Relaxed escaping is safe here: every body
    /// is served as JSON, never embedded in HTML.
    /// </summary>
    public static CounterApiJsonContext Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
