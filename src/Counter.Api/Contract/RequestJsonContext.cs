using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Api;

/// <summary>
/// Source-generated JSON of the request bodies. A property the contract does not know is refused rather than ignored:
/// <c>"initial_value"</c> for <c>"initialValue"</c> would otherwise create a counter at 0 without a word.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CreateTenantRequest))]
[JsonSerializable(typeof(CreateCounterRequest))]
[JsonSerializable(typeof(SetCounterRequest))]
[JsonSerializable(typeof(OperationRequest[]))]
[JsonSerializable(typeof(SetTenantOriginsRequest))]
internal sealed partial class RequestJsonContext : JsonSerializerContext;
