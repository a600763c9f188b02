using BenchmarkDotNet.Attributes;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>
/// The global entity merging one shard flush into totals of <see cref="KnownCounters"/> counters;
/// with default options every 100th merge also builds a snapshot of the changed counters.
/// </summary>
[MemoryDiagnoser]
public class GlobalMergeBenchmarks
{
    private readonly EntityContext context = Samples.Context(EntityAddress.Global);
    private GlobalState state = new();
    private Increment[][] deltas = [];
    private long sequence;

    [Params(10, 100)]
    public int CountersPerFlush { get; set; }

    [Params(1_000, 100_000)]
    public int KnownCounters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        state = new GlobalState();
        foreach (var increment in Samples.Increments(KnownCounters))
        {
            state.Totals[increment.Counter] = 1;
        }

        deltas = Enumerable.Range(0, KnownCounters / CountersPerFlush)
            .Select(index => Samples.Increments(CountersPerFlush, index * CountersPerFlush))
            .ToArray();
    }

    [Benchmark]
    public EntityStep<GlobalState> ApplyMerge()
    {
        sequence++;
        var flush = new ShardFlush("0", sequence, CountersPerFlush, deltas[sequence % deltas.Length]);
        return GlobalOperations.ApplyMerge(state, flush, context);
    }
}
