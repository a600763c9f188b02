using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>
/// The source-generated JSON the runtime writes for every signal (an add of 1 or 100 increments) and for a shard's
/// state, and reads back from the store after a restart.
/// </summary>
[MemoryDiagnoser]
public class InputJsonBenchmarks
{
    private AddIncrements add = new([]);
    private byte[] addJson = [];
    private ShardState shard = new();

    [Params(1, 100)]
    public int Increments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        add = new AddIncrements(Samples.Increments(Increments));
        addJson = JsonSerializer.SerializeToUtf8Bytes(add, CounterJsonContext.Default.AddIncrements);
        shard = new ShardState();
        ShardOperations.ApplyAdd(shard, new AddIncrements(Samples.Increments(Increments - 1)), Samples.Context(EntityAddress.Shard(0)));
    }

    [Benchmark]
    public byte[] SerializeAdd() => JsonSerializer.SerializeToUtf8Bytes(add, CounterJsonContext.Default.AddIncrements);

    [Benchmark]
    public AddIncrements? DeserializeAdd() => JsonSerializer.Deserialize(addJson, CounterJsonContext.Default.AddIncrements);

    [Benchmark]
    public byte[] SerializeShardState() => JsonSerializer.SerializeToUtf8Bytes(shard, CounterJsonContext.Default.ShardState);
}
