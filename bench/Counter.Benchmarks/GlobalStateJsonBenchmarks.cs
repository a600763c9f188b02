using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>
/// The global entity's state as JSON over 1,000 or 100,000 counters, half of them changed since the last snapshot:
/// the runtime writes it whole with every batch of the global entity.
/// </summary>
[MemoryDiagnoser]
public class GlobalStateJsonBenchmarks
{
    private GlobalState global = new();
    private byte[] globalJson = [];

    [Params(1_000, 100_000)]
    public int Counters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        global = new GlobalState();
        foreach (var increment in Samples.Increments(Counters))
        {
            global.Totals[increment.Counter] = 1;
        }

        foreach (var increment in Samples.Increments(Counters / 2))
        {
            global.Dirty.Add(increment.Counter);
        }

        globalJson = JsonSerializer.SerializeToUtf8Bytes(global, CounterJsonContext.Default.GlobalState);
    }

    [Benchmark]
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(global, CounterJsonContext.Default.GlobalState);

    [Benchmark]
    public GlobalState? Deserialize() => JsonSerializer.Deserialize(globalJson, CounterJsonContext.Default.GlobalState);
}
