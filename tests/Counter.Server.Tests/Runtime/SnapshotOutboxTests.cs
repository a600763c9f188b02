using Counter.Core;
using Counter.Server.Runtime;
using Counter.Storage;
using Counter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Counter.Server.Tests.Runtime;

public sealed class SnapshotOutboxTests : IDisposable
{
    private static readonly CounterKey Visits = CounterKey.InDefaultTenant("visits");
    private readonly TempDirectory data = new();
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public async Task While_snapshot_writes_fail_the_read_path_is_degraded_and_the_snapshot_waits_in_the_outbox()
    {
        FailingSnapshotStore? failing = null;
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, configureServices: services => services.Replace(
            ServiceDescriptor.Singleton<ISnapshotStore>(_ => failing = new FailingSnapshotStore(
                new SqliteSnapshotStore(Path.Combine(data.Path, "counters.db"), SqliteSynchronous.Full)))));
        await runtime.Runtime.SignalAsync(EntityAddress.Global, GlobalOperations.Reset, new ResetCounter(Visits), default);
        await runtime.Runtime.WhenIdleAsync(default);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!runtime.Runtime.OutboxStatus.IsFailing)
        {
            await Task.Delay(10, timeout.Token);
        }

        var health = await runtime.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(1, runtime.Runtime.OutboxStatus.Backlog);
        Assert.Single(RuntimeHarness.Load(data.Path).Outbox);

        failing!.Refuses = _ => false;
        var delivered = runtime.Runtime.WhenSnapshotsDeliveredAsync(timeout.Token);
        while (!delivered.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(delivered, Task.Delay(10, timeout.Token));
        }

        Assert.Equal(0, (await runtime.Snapshots.ReadAsync(Visits, default))!.Value);
        Assert.Equal(HealthStatus.Healthy, (await runtime.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token)).Status);
        Assert.Empty(RuntimeHarness.Load(data.Path).Outbox);
    }

    [Fact]
    public async Task A_snapshot_is_written_whole_from_memory_while_nothing_else_waits()
    {
        var (runtime, failing, deltas) = await StartWithLargeSnapshotAsync(refuses: _ => false);
        await using var _ = runtime;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await runtime.Runtime.WhenSnapshotsDeliveredAsync(timeout.Token);

        Assert.Equal([deltas.Length], failing.WrittenRowCounts);
        Assert.Empty(RuntimeHarness.Load(data.Path).Outbox);
    }

    [Fact]
    public async Task A_snapshot_whose_write_failed_is_read_back_in_bounded_chunks_resuming_at_the_chunk_that_failed()
    {
        // The whole snapshot fails, then the first chunk goes through and the next one fails until the store recovers.
        FailingSnapshotStore? store = null;
        var (runtime, failing, deltas) = await StartWithLargeSnapshotAsync(
            refuses: batch => batch.Rows.Count > SnapshotOutboxWriter.MaxRowsPerWrite || !store!.WrittenRowCounts.IsEmpty);
        store = failing;
        await using var _ = runtime;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (runtime.Runtime.OutboxStatus.ConsecutiveFailures < 2)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal([SnapshotOutboxWriter.MaxRowsPerWrite], failing.WrittenRowCounts);
        Assert.Equal(1, (await runtime.Snapshots.ReadAsync(deltas[0].Counter, default))!.Value);
        Assert.Null(await runtime.Snapshots.ReadAsync(deltas[^1].Counter, default));
        Assert.Single(RuntimeHarness.Load(data.Path).Outbox);

        failing.Refuses = _ => false;
        var delivered = runtime.Runtime.WhenSnapshotsDeliveredAsync(timeout.Token);
        while (!delivered.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(delivered, Task.Delay(10, timeout.Token));
        }

        Assert.Equal([SnapshotOutboxWriter.MaxRowsPerWrite, deltas.Length - SnapshotOutboxWriter.MaxRowsPerWrite], failing.WrittenRowCounts);
        Assert.Equal(deltas.Length, (await runtime.Snapshots.ReadAsync(deltas[^1].Counter, default))!.Value);
        Assert.Empty(RuntimeHarness.Load(data.Path).Outbox);
    }

    [Fact]
    public async Task A_snapshot_store_that_does_not_answer_makes_the_read_path_degraded_instead_of_holding_the_probe()
    {
        await using var runtime = await RuntimeHarness.StartAsync(data.Path, clock, configureServices: services => services.Replace(
            ServiceDescriptor.Singleton<ISnapshotStore>(_ => new SilentSnapshotStore(
                new SqliteSnapshotStore(Path.Combine(data.Path, "counters.db"), SqliteSynchronous.Full)))));

        var health = await runtime.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(HealthStatus.Degraded, health.Entries["read-path"].Status);
        Assert.Equal(HealthStatus.Healthy, health.Entries["runtime"].Status);
    }

    /// <summary>A runtime whose global entity has merged 7 more counters than one chunk holds and snapshotted them.</summary>
    private async Task<(RuntimeHarness Runtime, FailingSnapshotStore Store, Increment[] Deltas)> StartWithLargeSnapshotAsync(Func<SnapshotBatch, bool> refuses)
    {
        var failing = new FailingSnapshotStore(new SqliteSnapshotStore(Path.Combine(data.Path, "counters.db"), SqliteSynchronous.Full)) { Refuses = refuses };
        var runtime = await RuntimeHarness.StartAsync(data.Path, clock, configureServices: services => services.Replace(
            ServiceDescriptor.Singleton<ISnapshotStore>(failing)));
        var rowCount = SnapshotOutboxWriter.MaxRowsPerWrite + 7;
        var deltas = Enumerable.Range(0, rowCount).Select(index => new Increment(CounterKey.InDefaultTenant($"c{index:D5}"), index + 1)).ToArray();
        await runtime.Runtime.SignalAsync(EntityAddress.Global, GlobalOperations.Merge, new ShardFlush("0", 1, rowCount, deltas), default);
        await runtime.Runtime.SignalAsync(EntityAddress.Global, GlobalOperations.Write, null, default);
        await runtime.Runtime.WhenIdleAsync(default);
        return (runtime, failing, deltas);
    }

    public void Dispose() => data.Dispose();

    /// <summary>Reads wait until they are cancelled, as a store behind a dead network path does.</summary>
    private sealed class SilentSnapshotStore(ISnapshotStore store) : ISnapshotStore
    {
        public Task WriteAsync(SnapshotBatch batch, CancellationToken cancellationToken) => store.WriteAsync(batch, cancellationToken);

        public Task RemoveTenantAsync(string tenant, CancellationToken cancellationToken) => store.RemoveTenantAsync(tenant, cancellationToken);

        public async Task<SnapshotRow?> ReadAsync(CounterKey counter, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }

        public async Task<SnapshotPage> ReadPageAsync(string tenant, NamePrefix? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new SnapshotPage([], null);
        }
    }
}
