using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>Source-generated serialization of entity states and operation inputs, shared by every host.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(IncrementListJsonConverter), typeof(SnapshotRowJsonConverter), typeof(TotalEntryJsonConverter)])]
[JsonSerializable(typeof(ShardState))]
[JsonSerializable(typeof(GlobalState))]
[JsonSerializable(typeof(AddIncrements))]
[JsonSerializable(typeof(FlushTick))]
[JsonSerializable(typeof(ShardFlush))]
[JsonSerializable(typeof(SnapshotTick))]
[JsonSerializable(typeof(ResetCounter))]
[JsonSerializable(typeof(ResnapshotCounters))]
[JsonSerializable(typeof(CreateCounter))]
[JsonSerializable(typeof(SetCounter))]
[JsonSerializable(typeof(ForgetCounters))]
[JsonSerializable(typeof(DeleteCounter))]
[JsonSerializable(typeof(DeleteTenant))]
[JsonSerializable(typeof(SnapshotBatch))]
[JsonSerializable(typeof(TotalEntry[]))]
public sealed partial class CounterJsonContext : JsonSerializerContext;
