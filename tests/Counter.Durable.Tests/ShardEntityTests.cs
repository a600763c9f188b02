using Counter.Core;
using Counter.Durable.Entities;
using Microsoft.DurableTask.Entities;

namespace Counter.Durable.Tests;

public sealed class ShardEntityTests : IDisposable
{
    private static readonly CounterKey Likes = CounterKey.InDefaultTenant("likes");
    private static readonly CounterKey Views = CounterKey.Create("acme", "views");

    private readonly EntityHarness<ShardEntity, ShardState> _shard = new(
        new EntityInstanceId(EntityAddress.ShardName, "2"),
        options => options.ShardMinIncrementsToGlobal = 3);

    [Fact]
    public async Task A_shard_without_state_starts_from_the_cores_initial_state()
    {
        var signals = await _shard.RunAsync(ShardOperations.Write);

        Assert.Empty(signals);
        Assert.Equal(WorkerJson.Serialize(new ShardState()), _shard.State.Json);
    }

    [Fact]
    public async Task Add_below_the_threshold_keeps_the_increments_and_schedules_the_cores_flush_tick()
    {
        var input = new AddIncrements([new Increment(Likes, 2), new Increment(Views, 1)]);
        var expected = _shard.Expect((state, context) => ShardOperations.ApplyAdd(state, input, context));

        var signals = await _shard.RunAsync(ShardOperations.Add, input);

        Assert.Equal(EntityHarness<ShardEntity, ShardState>.SignalsOf(expected), signals);
        var tick = Assert.Single(signals);
        Assert.Equal(new EntityInstanceId(EntityAddress.ShardName, "2"), tick.Target);
        Assert.Equal(EntityHarness<ShardEntity, ShardState>.Start + _shard.Options.ShardWriteToGlobalAfter, tick.SignalTime);
        Assert.Equal(WorkerJson.Serialize(expected.State), _shard.State.Json);
    }

    [Fact]
    public async Task Add_reaching_the_threshold_signals_the_cores_flush_to_the_global_entity_at_once()
    {
        await _shard.RunAsync(ShardOperations.Add, new AddIncrements([new Increment(Likes, 1), new Increment(Views, 1)]));
        var input = new AddIncrements([new Increment(Likes, 5)]);
        var expected = _shard.Expect((state, context) => ShardOperations.ApplyAdd(state, input, context));

        var signals = await _shard.RunAsync(ShardOperations.Add, input);

        Assert.Equal(EntityHarness<ShardEntity, ShardState>.SignalsOf(expected), signals);
        var merge = Assert.Single(signals);
        Assert.Equal(new EntityInstanceId(EntityAddress.GlobalName, "default"), merge.Target);
        Assert.Equal(GlobalOperations.Merge, merge.Operation);
        Assert.Null(merge.SignalTime);
        Assert.Equal(WorkerJson.Serialize(expected.State), _shard.State.Json);
    }

    [Fact]
    public async Task The_scheduled_tick_flushes_what_the_shard_holds()
    {
        var scheduled = Assert.Single(await _shard.RunAsync(ShardOperations.Add, new AddIncrements([new Increment(Likes, 1)])));
        _shard.Time.Advance(_shard.Options.ShardWriteToGlobalAfter);
        var tick = (FlushTick)WorkerJson.Deserialize(scheduled.Input, typeof(FlushTick))!;
        var expected = _shard.Expect((state, context) => ShardOperations.ApplyTick(state, tick, context));

        var signals = await _shard.RunAsync(scheduled.Operation, tick);

        Assert.Equal(EntityHarness<ShardEntity, ShardState>.SignalsOf(expected), signals);
        Assert.Equal(GlobalOperations.Merge, Assert.Single(signals).Operation);
        Assert.Empty(_shard.CurrentState!.Pending);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("Add")]
    [InlineData("ADD")]
    public async Task Operations_are_matched_by_name_whatever_the_case(string operation)
    {
        await _shard.RunAsync(operation, new AddIncrements([new Increment(Likes, 4)]));

        Assert.Equal(4, _shard.CurrentState!.Pending[Likes]);
    }

    [Fact]
    public async Task An_operation_the_core_does_not_have_fails()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => _shard.RunAsync("merge", new AddIncrements([])));
    }

    public void Dispose() => _shard.Dispose();
}
