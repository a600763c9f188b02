using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Counter.Core;
using Counter.Storage;

namespace Counter.Benchmarks;

/// <summary>
/// The runtime's group commit: one transaction of <see cref="Signals"/> signals (single-increment adds) in the entity
/// store, on a real SQLite file in a temporary folder, pushed to disk as <see cref="Synchronous"/> says. Per operation,
/// so the cost of one durable ack is this divided by the group size.
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private string folder = "";
    private SqliteEntityStore? store;
    private EntityMessage[] messages = [];

    [Params(1, 64, 1000)]
    public int Signals { get; set; }

    [Params(SqliteSynchronous.Full, SqliteSynchronous.Normal)]
    public SqliteSynchronous Synchronous { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("counter-bench-").FullName;
        store = SqliteEntityStore.Open(Path.Combine(folder, "entities.db"), Synchronous);
        messages = Samples.Increments(Signals)
            .Select(increment => new AddIncrements([increment]))
            .Select(add => new EntityMessage(
                EntityAddress.Shard(0),
                ShardOperations.Add,
                JsonSerializer.SerializeToUtf8Bytes(add, CounterJsonContext.Default.AddIncrements)))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        store?.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark]
    public IReadOnlyList<StoredMessage> Append() => store!.Append(messages);
}
