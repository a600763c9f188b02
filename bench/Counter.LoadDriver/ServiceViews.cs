using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.LoadDriver;

/// <summary>The parts of the service's answers the driver reads: a page of <c>GET /counters</c>, <c>GET /global/shardWrites</c>.</summary>
internal sealed record CounterPage(Dictionary<string, long> Counters, string? ContinuationToken);

internal sealed record ShardWrites(long Total);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CounterPage))]
[JsonSerializable(typeof(ShardWrites))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
