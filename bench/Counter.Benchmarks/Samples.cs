using System.Globalization;
using Counter.Core;

namespace Counter.Benchmarks;

/// <summary>Inputs shaped like the service's: counters of the default tenant named as the HTTP benchmarks name them.</summary>
internal static class Samples
{
    public static readonly CounterOptions DefaultOptions = new();

    public static CounterKey Counter(int index) =>
        CounterKey.InDefaultTenant("bench-" + index.ToString(CultureInfo.InvariantCulture));

    public static Increment[] Increments(int count, int firstCounter = 0) =>
        Enumerable.Range(firstCounter, count).Select(index => new Increment(Counter(index), 1)).ToArray();

    public static EntityContext Context(EntityAddress self) => new(self, DefaultOptions, DateTimeOffset.UnixEpoch);
}
