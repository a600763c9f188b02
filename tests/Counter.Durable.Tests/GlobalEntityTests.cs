using Counter.Core;
using Counter.Durable.Entities;
using Microsoft.DurableTask.Entities;

namespace Counter.Durable.Tests;

public sealed class GlobalEntityTests : IDisposable
{
    private static readonly CounterKey Likes = CounterKey.InDefaultTenant("likes");
    private static readonly CounterKey Views = CounterKey.Create("acme", "views");
    private static readonly EntityInstanceId Global = new(EntityAddress.GlobalName, "default");

    private readonly EntityHarness<GlobalEntity, GlobalState> _global = new(Global, options => options.GlobalMinWritesToSnapshot = 2);

    [Fact]
    public async Task A_merge_below_the_threshold_keeps_the_totals_and_schedules_the_cores_snapshot_tick()
    {
        var flush = Flush("0", 1, (Likes, 3));
        var expected = _global.Expect((state, context) => GlobalOperations.ApplyMerge(state, flush, context));

        var signals = await _global.RunAsync(GlobalOperations.Merge, flush);

        Assert.Equal(EntityHarness<GlobalEntity, GlobalState>.SignalsOf(expected), signals);
        var tick = Assert.Single(signals);
        Assert.Equal(Global, tick.Target);
        Assert.Equal(EntityHarness<GlobalEntity, GlobalState>.Start + _global.Options.GlobalWriteToSnapshotAfter, tick.SignalTime);
        Assert.Empty(_global.Store.Written);
        Assert.Equal(WorkerJson.Serialize(expected.State), _global.State.Json);
    }

    [Fact]
    public async Task A_merge_reaching_the_threshold_writes_the_cores_snapshot()
    {
        await _global.RunAsync(GlobalOperations.Merge, Flush("0", 1, (Likes, 3)));
        var flush = Flush("1", 1, (Likes, 2), (Views, 7));
        var expected = _global.Expect((state, context) => GlobalOperations.ApplyMerge(state, flush, context));

        var signals = await _global.RunAsync(GlobalOperations.Merge, flush);

        Assert.Empty(signals);
        Assert.Equal(EntityHarness<GlobalEntity, GlobalState>.SnapshotsOf(expected), _global.Written);
        var batch = Assert.Single(_global.Store.Written);
        Assert.Equal([(Views, 7L), (Likes, 5L)], batch.Rows.Select(static row => (row.Counter, row.Value)));
        Assert.Equal(WorkerJson.Serialize(expected.State), _global.State.Json);
    }

    [Fact]
    public async Task A_flush_delivered_twice_is_merged_once()
    {
        var flush = Flush("0", 1, (Likes, 3));
        await _global.RunAsync(GlobalOperations.Merge, flush);

        var signals = await _global.RunAsync(GlobalOperations.Merge, flush);

        Assert.Empty(signals);
        Assert.Equal(3, _global.CurrentState!.Totals[Likes]);
        Assert.Equal(1, _global.CurrentState.DuplicateFlushes);
    }

    [Fact]
    public async Task A_reset_writes_the_zero_at_once()
    {
        await _global.RunAsync(GlobalOperations.Merge, Flush("0", 1, (Likes, 3)));
        var reset = new ResetCounter(Likes);
        var expected = _global.Expect((state, context) => GlobalOperations.ApplyReset(state, reset, context));

        await _global.RunAsync(GlobalOperations.Reset, reset);

        Assert.Equal(EntityHarness<GlobalEntity, GlobalState>.SnapshotsOf(expected), _global.Written);
        Assert.Equal(0, Assert.Single(Assert.Single(_global.Store.Written).Rows).Value);
    }

    [Fact]
    public async Task A_failed_snapshot_write_keeps_the_merge_and_asks_for_a_resnapshot_later()
    {
        _global.Store.Failing = true;
        await _global.RunAsync(GlobalOperations.Merge, Flush("0", 1, (Likes, 3)));

        var signals = await _global.RunAsync(GlobalOperations.Merge, Flush("1", 1, (Views, 4)));

        Assert.Empty(_global.Store.Written);
        var state = _global.CurrentState!;
        Assert.Equal(3, state.Totals[Likes]);
        Assert.Equal(4, state.Totals[Views]);
        Assert.Equal(1, state.SnapshotVersion);
        var resnapshot = Assert.Single(signals);
        Assert.Equal(new RecordedSignal(
                Global,
                GlobalOperations.Resnapshot,
                WorkerJson.Serialize(new ResnapshotCounters([Views, Likes])),
                EntityHarness<GlobalEntity, GlobalState>.Start + EntityShell.ResnapshotDelay),
            resnapshot);
    }

    [Fact]
    public async Task The_resnapshot_of_a_failed_write_writes_those_counters_when_its_tick_fires()
    {
        _global.Store.Failing = true;
        await _global.RunAsync(GlobalOperations.Merge, Flush("0", 1, (Likes, 3)));
        var resnapshot = Assert.Single(await _global.RunAsync(GlobalOperations.Merge, Flush("1", 1, (Views, 4))));
        _global.Store.Failing = false;
        _global.Time.Advance(EntityShell.ResnapshotDelay);

        var tick = Assert.Single(await _global.RunAsync(resnapshot.Operation, WorkerJson.Deserialize(resnapshot.Input, typeof(ResnapshotCounters))));
        _global.Time.Advance(_global.Options.GlobalWriteToSnapshotAfter);
        await _global.RunAsync(tick.Operation, WorkerJson.Deserialize(tick.Input, typeof(SnapshotTick)));

        var batch = Assert.Single(_global.Store.Written);
        Assert.Equal(2, batch.Version);
        Assert.Equal([(Views, 4L), (Likes, 3L)], batch.Rows.Select(static row => (row.Counter, row.Value)));
    }

    private static ShardFlush Flush(string shard, long sequence, params (CounterKey Counter, long Delta)[] deltas) =>
        new(shard, sequence, deltas.Length, deltas.Select(static delta => new Increment(delta.Counter, delta.Delta)).ToList());

    public void Dispose() => _global.Dispose();
}
