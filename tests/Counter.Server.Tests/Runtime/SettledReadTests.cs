using Counter.Api;
using Counter.Core;
using Counter.Server.Runtime;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Runtime;

/// <summary>The strong read of a sharded counter on the embedded host: the states and the queue as of one commit.</summary>
public sealed class SettledReadTests : IDisposable
{
    private const int Partitions = 3;
    private static readonly CounterKey Visits = CounterKey.InDefaultTenant("visits");
    private static readonly EntityAddress Partition = GlobalPartitions.AddressOf(Visits, Partitions);
    private readonly TempDirectory data = new();
    private readonly ManualTimeProvider clock = new();
    private readonly Dictionary<string, string?> settings = new() { ["Counters:GlobalPartitions"] = $"{Partitions}" };

    [Fact]
    public async Task The_total_counts_acknowledged_adds_and_flushes_in_flight_once_each_and_matches_what_processing_them_gives()
    {
        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock, settings))
        {
            // Committed states: shard 0 buffers 3, the partition has merged 4 (shard 7's first flush).
            await runtime.Runtime.SignalAsync(EntityAddress.Shard(0), ShardOperations.Add, Add(3), default);
            await runtime.Runtime.SignalAsync(Partition, GlobalOperations.Merge, new ShardFlush("7", 1, 4, [new Increment(Visits, 4)]), default);
            await runtime.Runtime.WhenIdleAsync(default);
            await runtime.AbandonAsync();
        }

        // Committed and not processed yet, as a reader can find them at any moment under load.
        RuntimeHarness.Persist(data.Path, [
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, Add(2)),
            new EntityMessage(EntityAddress.Shard(0), ShardOperations.Write, null),
            RuntimeHarness.Message(Partition, GlobalOperations.Merge, new ShardFlush("9", 1, 5, [new Increment(Visits, 5)])),
            RuntimeHarness.Message(Partition, GlobalOperations.Merge, new ShardFlush("7", 1, 4, [new Increment(Visits, 4)])),
            RuntimeHarness.Message(EntityAddress.Shard(2), ShardOperations.Add, Add(1000)) with { DueAt = clock.GetUtcNow().AddHours(1) },
        ]);

        using (var unstarted = RuntimeHarness.Unstarted(data.Path, clock, settings))
        {
            var backend = unstarted.Services.GetRequiredService<ICounterBackend>();

            // 3 buffered (flushed by the queued write, counted once) + 4 merged + 2 queued + 5 in flight; the redelivered
            // flush of shard 7 is applied once, and what is scheduled for later is not there yet.
            Assert.Equal(14, await backend.ReadTotalAsync(Visits, default));
            Assert.Equal(3, unstarted.Services.GetRequiredService<EntityRuntime>().ReadEntity<ShardState>(EntityAddress.Shard(0))!.Pending[Visits]);
        }

        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock, settings))
        {
            await runtime.Runtime.WhenIdleAsync(default);
            var backend = runtime.Services.GetRequiredService<ICounterBackend>();
            var partition = runtime.Runtime.ReadEntity<GlobalState>(Partition)!;
            var buffered = runtime.Runtime.ListEntities(EntityAddress.ShardName).Sum(shard => runtime.Runtime.ReadEntity<ShardState>(shard)!.Pending.GetValueOrDefault(Visits));
            Assert.Equal(14, partition.Totals[Visits] + buffered);
            Assert.Equal(14, await backend.ReadTotalAsync(Visits, default));
        }
    }

    public void Dispose() => data.Dispose();

    private static AddIncrements Add(long delta) => new([new Increment(Visits, delta)]);
}
