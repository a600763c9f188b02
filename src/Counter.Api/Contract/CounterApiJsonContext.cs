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
public sealed partial class CounterApiJsonContext : JsonSerializerContext;
