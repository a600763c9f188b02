using System.Diagnostics.Metrics;
using Counter.Api;
using Counter.Core;
using Counter.Server.Runtime;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Runtime;

public sealed class EntityRuntimeTests : IDisposable
{
    private static readonly CounterKey Visits = CounterKey.InDefaultTenant("visits");
    private static readonly EntityAddress Partition = GlobalPartitions.AddressOf(Visits, 2);
    private readonly TempDirectory data = new();
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public async Task A_signal_is_persisted_before_SignalAsync_returns()
    {
        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock))
        {
            await runtime.Runtime.SignalAsync(EntityAddress.Shard(0), ShardOperations.Add, Add(Visits, 3), default);
            await runtime.AbandonAsync();
        }

        await using var restarted = await RuntimeHarness.StartAsync(data.Path, clock);
        await restarted.Runtime.WhenIdleAsync(default);
        Assert.Equal(3, restarted.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(0))!.Pending[Visits]);
    }

    [Fact]
    public async Task Concurrent_signals_are_committed_in_groups()
    {
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock);
        using var groups = new Recorded<int>(runtime, "counter.runtime.commit.batch_size");

        const int Signals = 500;
        await Task.WhenAll(Enumerable.Range(0, Signals).Select(index =>
            Task.Run(() => runtime.Runtime.SignalAsync(EntityAddress.Shard(index % 4), ShardOperations.Add, Add(Visits, 1), default))));
        await runtime.Runtime.WhenIdleAsync(default);

        var sizes = groups.Values;
        Assert.Equal(Signals, sizes.Sum());
        Assert.True(sizes.Count < Signals, $"{Signals} signals took {sizes.Count} commits.");

        var buffered = Enumerable.Range(0, 4).Sum(shard => runtime.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(shard))!.Pending[Visits]);
        Assert.Equal(Signals, buffered);
    }

    [Fact]
    public async Task A_global_entity_takes_the_flushes_that_arrive_within_its_batch_window_as_one_batch()
    {
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, WindowSettings(partitions: 2));
        using var batches = new Recorded<long>(runtime, "counter.runtime.messages.processed");

        await SendMergesAsync(runtime, 3, Partition);
        await WhenWaitingOnTheClockAsync();

        Assert.Null(runtime.Runtime.ReadEntity<GlobalState>(Partition));
        clock.Advance(TimeSpan.FromMilliseconds(20));
        await runtime.Runtime.WhenIdleAsync(default);

        Assert.Equal(6, runtime.Runtime.ReadEntity<GlobalState>(Partition)!.Totals[Visits]);
        Assert.Equal([3], batches.Values);
    }

    [Fact]
    public async Task With_one_global_partition_the_global_entity_takes_each_batch_at_once()
    {
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, WindowSettings(partitions: 1));

        await SendMergesAsync(runtime, 3, EntityAddress.Global);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await runtime.Runtime.WhenIdleAsync(timeout.Token);

        Assert.Equal(6, runtime.Runtime.ReadEntity<GlobalState>(EntityAddress.Global)!.Totals[Visits]);
    }

    [Fact]
    public async Task After_a_full_batch_a_global_entity_takes_the_next_one_without_waiting()
    {
        var settings = WindowSettings(partitions: 2);
        settings["Runtime:MaxOperationsPerBatch"] = "2";
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, settings);
        using var batches = new Recorded<long>(runtime, "counter.runtime.messages.processed");

        await SendMergesAsync(runtime, 5, Partition);
        await WhenWaitingOnTheClockAsync();
        clock.Advance(TimeSpan.FromMilliseconds(20));

        // One window, then a full batch and a full one again: each is followed at once, without another window.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await runtime.Runtime.WhenIdleAsync(timeout.Token);
        Assert.Equal([2, 2, 1], batches.Values);
    }

    [Fact]
    public async Task On_start_everything_persisted_is_processed()
    {
        RuntimeHarness.Persist(data.Path, [
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, Add(Visits, 2)),
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, Add(Visits, 5)),
            RuntimeHarness.Message(EntityAddress.Global, GlobalOperations.Merge, new ShardFlush("9", 1, 4, [new Increment(Visits, 4)])),
        ]);

        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock))
        {
            await runtime.Runtime.WhenIdleAsync(default);
            Assert.Equal(7, runtime.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(1))!.Pending[Visits]);
            Assert.Equal(4, runtime.Runtime.ReadEntity<GlobalState>(EntityAddress.Global)!.Totals[Visits]);
            await runtime.AbandonAsync();
        }

        // Only the debounce ticks the adds and the merge armed are left.
        var left = RuntimeHarness.Load(data.Path).Messages;
        Assert.All(left, message => Assert.Equal("tick", message.Message.Operation));
        Assert.Equal(2, left.Count);
    }

    [Fact]
    public async Task An_add_with_an_idempotency_key_is_applied_once_when_it_comes_again_in_the_same_batch()
    {
        // A request committed, its answer lost in a crash, and its retry: both adds wait in the queue at the next start.
        var keyed = new AddIncrements([new Increment(Visits, 1)], IdempotencyKey: "key-hash", KeyExpiresAt: clock.GetUtcNow().AddDays(1));
        RuntimeHarness.Persist(data.Path, [
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, Add(Visits, 2)),
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, keyed),
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, keyed),
            RuntimeHarness.Message(EntityAddress.Shard(1), ShardOperations.Add, Add(Visits, 5)),
        ]);

        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock);
        await runtime.Runtime.WhenIdleAsync(default);

        var shard = runtime.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(1))!;
        Assert.Equal(8, shard.Pending[Visits]);
        Assert.Equal(1, shard.DuplicateAdds);
    }

    [Fact]
    public async Task Debounce_timers_flush_and_snapshot_on_the_injected_clock()
    {
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock);
        await runtime.Runtime.SignalAsync(EntityAddress.Shard(0), ShardOperations.Add, Add(Visits, 2), default);
        await runtime.Runtime.WhenIdleAsync(default);
        Assert.Null(runtime.Runtime.ReadEntity<GlobalState>(EntityAddress.Global));

        clock.Advance(TimeSpan.FromSeconds(5));
        await runtime.Runtime.WhenIdleAsync(default);
        Assert.Equal(2, runtime.Runtime.ReadEntity<GlobalState>(EntityAddress.Global)!.Totals[Visits]);
        Assert.Null(await runtime.Snapshots.ReadAsync(Visits, default));

        clock.Advance(TimeSpan.FromSeconds(5));
        await runtime.Runtime.WhenIdleAsync(default);
        await runtime.Runtime.WhenSnapshotsDeliveredAsync(default);
        Assert.Equal(2, (await runtime.Snapshots.ReadAsync(Visits, default))!.Value);
    }

    [Fact]
    public async Task A_scheduled_tick_fires_after_a_restart()
    {
        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock))
        {
            await runtime.Runtime.SignalAsync(EntityAddress.Shard(0), ShardOperations.Add, Add(Visits, 4), default);
            await runtime.Runtime.WhenIdleAsync(default);
            await runtime.AbandonAsync();
        }

        // The host was down when the tick fell due: it fires at once on start.
        clock.Advance(TimeSpan.FromMinutes(1));
        await using var restarted = await RuntimeHarness.StartAsync(data.Path, clock);
        await restarted.Runtime.WhenIdleAsync(default);
        Assert.Equal(4, restarted.Runtime.ReadEntity<GlobalState>(EntityAddress.Global)!.Totals[Visits]);
        Assert.Empty(restarted.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(0))!.Pending);
    }

    [Fact]
    public async Task When_too_many_signals_wait_new_ones_are_refused_until_they_are_processed()
    {
        RuntimeHarness.Persist(data.Path, [.. Enumerable.Range(0, 300).Select(_ => RuntimeHarness.Message(EntityAddress.Shard(0), ShardOperations.Add, Add(Visits, 1)))]);
        var settings = new Dictionary<string, string?>
        {
            ["Runtime:MaxPendingSignals"] = "10",
            ["Runtime:MaxOperationsPerBatch"] = "1",
            ["Runtime:OverloadRetryAfter"] = "00:00:07",
        };

        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, settings);
        var refused = await Assert.ThrowsAsync<BackendOverloadedException>(() =>
            runtime.Runtime.SignalAsync(EntityAddress.Shard(1), ShardOperations.Add, Add(Visits, 1), default));
        Assert.Equal(TimeSpan.FromSeconds(7), refused.RetryAfter);

        await runtime.Runtime.WhenIdleAsync(default);
        await runtime.Runtime.SignalAsync(EntityAddress.Shard(1), ShardOperations.Add, Add(Visits, 1), default);
        await runtime.Runtime.WhenIdleAsync(default);
        Assert.Equal(300, runtime.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(0))!.Pending[Visits]);
        Assert.Equal(1, runtime.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(1))!.Pending[Visits]);
    }

    [Fact]
    public async Task A_graceful_stop_flushes_every_shard_and_writes_the_snapshot()
    {
        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock))
        {
            for (var shard = 0; shard < 3; shard++)
            {
                await runtime.Runtime.SignalAsync(EntityAddress.Shard(shard), ShardOperations.Add, Add(Visits, shard + 1), default);
            }

            await runtime.StopGracefullyAsync();
        }

        var snapshots = new SqliteSnapshotStore(Path.Combine(data.Path, "counters.db"), SqliteSynchronous.Full);
        Assert.Equal(6, (await snapshots.ReadAsync(Visits, default))!.Value);
        var persisted = RuntimeHarness.Load(data.Path);
        Assert.Empty(persisted.Outbox);
        Assert.DoesNotContain(persisted.Messages, message => message.Message.DueAt is null);
    }

    [Fact]
    public async Task Consecutive_adds_in_a_batch_count_every_increment()
    {
        RuntimeHarness.Persist(data.Path, [.. Enumerable.Range(0, 250).Select(_ => RuntimeHarness.Message(EntityAddress.Shard(0), ShardOperations.Add, Add(Visits, 1)))]);
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, new Dictionary<string, string?> { ["Counters:ShardMinIncrementsToGlobal"] = "100" });
        await runtime.Runtime.WhenIdleAsync(default);

        var shard = runtime.Runtime.ReadEntity<ShardState>(EntityAddress.Shard(0))!;
        var global = runtime.Runtime.ReadEntity<GlobalState>(EntityAddress.Global)!;
        Assert.Equal(250, global.Totals[Visits] + shard.Pending.GetValueOrDefault(Visits));
        Assert.Equal(250, global.Shards["0"].Increments + shard.PendingIncrements);
    }

    [Fact]
    public async Task Kept_totals_are_written_anew_once_they_outnumber_twice_the_counters_and_survive_a_restart()
    {
        const int counters = 6_000;
        var increments = new AddIncrements([.. Enumerable.Range(0, counters).Select(index => new Increment(CounterKey.InDefaultTenant($"c{index}"), 1))]);
        var settings = new Dictionary<string, string?> { ["Counters:ShardMinIncrementsToGlobal"] = "100" };
        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock, settings))
        {
            // Each add is over the shard's threshold, so each is merged on its own: 6,000 entries kept per round.
            for (var round = 1; round <= 3; round++)
            {
                await runtime.Runtime.SignalAsync(EntityAddress.Shard(0), ShardOperations.Add, increments, default);
                await runtime.Runtime.WhenIdleAsync(default);
                var kept = RuntimeHarness.Load(data.Path).States.Single(state => state.Entity == EntityAddress.Global).Totals.Count;
                Assert.Equal(round == 3 ? counters : round * counters, kept);
            }
        }

        await using var restarted = await RuntimeHarness.StartAsync(data.Path, clock);
        var global = restarted.Runtime.ReadEntity<GlobalState>(EntityAddress.Global)!;
        Assert.Equal(counters, global.Totals.Count);
        Assert.All(global.Totals.Values, total => Assert.Equal(3, total));
    }

    [Fact]
    public async Task With_partitions_each_keeps_its_share_of_the_entries_before_it_writes_its_totals_anew()
    {
        const int counters = 1_000;
        const int partitions = 4;
        var increments = new AddIncrements([.. Enumerable.Range(0, counters).Select(index => new Increment(CounterKey.InDefaultTenant($"c{index}"), 1))]);
        var settings = new Dictionary<string, string?> { ["Counters:ShardMinIncrementsToGlobal"] = "100", ["Counters:GlobalPartitions"] = $"{partitions}" };
        await using (var runtime = await RuntimeHarness.StartAsync(data.Path, clock, settings))
        {
            // Each add is a flush of every counter: each partition keeps about 250 more entries per round.
            for (var round = 1; round <= 12; round++)
            {
                await runtime.Runtime.SignalAsync(EntityAddress.Shard(0), ShardOperations.Add, increments, default);
                await runtime.Runtime.WhenIdleAsync(default);
            }
        }

        var kept = RuntimeHarness.Load(data.Path).States.Where(state => state.Entity.Name == EntityAddress.GlobalName).ToList();
        Assert.Equal(partitions, kept.Count);
        Assert.All(kept, state => Assert.InRange(state.Totals.Count, 1, RuntimeJson.MinTotalsBeforeRewrite / partitions));

        await using var restarted = await RuntimeHarness.StartAsync(data.Path, clock, settings);
        var totals = GlobalPartitions.All(partitions).SelectMany(partition => restarted.Runtime.ReadEntity<GlobalState>(partition)!.Totals).ToList();
        Assert.Equal(counters, totals.Count);
        Assert.All(totals, total => Assert.Equal(12, total.Value));
    }

    public void Dispose() => data.Dispose();

    private static AddIncrements Add(CounterKey counter, long delta) => new([new Increment(counter, delta)]);

    /// <summary>The batch window on, over <paramref name="partitions"/> global partitions.</summary>
    private static Dictionary<string, string?> WindowSettings(int partitions) => new()
    {
        ["Runtime:GlobalBatchWindow"] = "00:00:00.020",
        ["Counters:GlobalPartitions"] = $"{partitions}",
    };

    private static async Task SendMergesAsync(RuntimeHarness runtime, int count, EntityAddress global)
    {
        for (var shard = 0; shard < count; shard++)
        {
            await runtime.Runtime.SignalAsync(global, GlobalOperations.Merge, new ShardFlush($"{shard}", 1, 2, [new Increment(Visits, 2)]), default);
        }
    }

    /// <summary>Until the runner waits for its window on the manual clock (with nothing else there to wait on the clock).</summary>
    private async Task WhenWaitingOnTheClockAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!clock.HasTimers)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>The measurements of one of the runtime's instruments, in the order they were taken.</summary>
    private sealed class Recorded<T> : IDisposable
        where T : struct
    {
        private readonly MeterListener listener = new();
        private readonly List<T> values = [];

        public Recorded(RuntimeHarness runtime, string instrumentName)
        {
            var meterFactory = runtime.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, meters) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == instrumentName)
                {
                    meters.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<T>((_, value, _, _) =>
            {
                lock (values)
                {
                    values.Add(value);
                }
            });
            listener.Start();
        }

        public List<T> Values
        {
            get
            {
                lock (values)
                {
                    return [.. values];
                }
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
