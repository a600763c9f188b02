using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>
/// The source-generated JSON that the runtime writes for every signal and every state it keeps:
/// an add of 1 or 100 increments, a full shard buffer, and the global state over 1,000 or 100,000 counters.
/// </summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private AddIncrements add = new([]);
    private byte[] addJson = [];
    private ShardState shard = new();
    private GlobalState global = new();
    private byte[] globalJson = [];

    [Params(1, 100)]
    public int Increments { get; set; }

    [Params(1_000, 100_000)]
    public int GlobalCounters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        add = new AddIncrements(Samples.Increments(Increments));
        addJson = JsonSerializer.SerializeToUtf8Bytes(add, CounterJsonContext.Default.AddIncrements);
        shard = new ShardState();
        ShardOperations.ApplyAdd(shard, new AddIncrements(Samples.Increments(99)), Samples.Context(EntityAddress.Shard(0)));
        global = new GlobalState();
        foreach (var increment in Samples.Increments(GlobalCounters))
        {
            global.Totals[increment.Counter] = 1;
        }

        globalJson = JsonSerializer.SerializeToUtf8Bytes(global, CounterJsonContext.Default.GlobalState);
    }

    [Benchmark]
    public byte[] SerializeAdd() => JsonSerializer.SerializeToUtf8Bytes(add, CounterJsonContext.Default.AddIncrements);

    [Benchmark]
    public AddIncrements? DeserializeAdd() => JsonSerializer.Deserialize(addJson, CounterJsonContext.Default.AddIncrements);

    [Benchmark]
    public byte[] SerializeShardState() => JsonSerializer.SerializeToUtf8Bytes(shard, CounterJsonContext.Default.ShardState);

    [Benchmark]
    public byte[] SerializeGlobalState() => JsonSerializer.SerializeToUtf8Bytes(global, CounterJsonContext.Default.GlobalState);

    [Benchmark]
    public GlobalState? DeserializeGlobalState() => JsonSerializer.Deserialize(globalJson, CounterJsonContext.Default.GlobalState);
}
