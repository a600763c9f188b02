using BenchmarkDotNet.Attributes;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>Validating a counter key, which every increment does once per counter.</summary>
[MemoryDiagnoser]
public class CounterKeyBenchmarks
{
    [Benchmark]
    public CounterKey Create() => CounterKey.Create(CounterKey.DefaultTenant, "bench-123");

    [Benchmark]
    public CounterKey Parse() => CounterKey.Parse("default/bench-123");
}
