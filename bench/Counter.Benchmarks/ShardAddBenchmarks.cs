using BenchmarkDotNet.Attributes;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>A shard taking one request's increments; with default options every 100th increment also builds a flush.</summary>
[MemoryDiagnoser]
public class ShardAddBenchmarks
{
    private readonly EntityContext context = Samples.Context(EntityAddress.Shard(0));
    private readonly ShardState state = new();
    private AddIncrements[] inputs = [];
    private int next;

    [Params(1, 100)]
    public int IncrementsPerAdd { get; set; }

    [GlobalSetup]
    public void Setup() =>
        inputs = Enumerable.Range(0, 1000 / IncrementsPerAdd)
            .Select(index => new AddIncrements(Samples.Increments(IncrementsPerAdd, index * IncrementsPerAdd)))
            .ToArray();

    [Benchmark]
    public EntityStep<ShardState> ApplyAdd()
    {
        var input = inputs[next];
        next = (next + 1) % inputs.Length;
        return ShardOperations.ApplyAdd(state, input, context);
    }
}
