using System.Text.Json;

namespace Counter.Core.Tests.Entities;

public sealed class EntityOperationsTests
{
    private static readonly CounterOptions Options = Given.Options(shardMinIncrements: 2, globalMinWrites: 2);

    public static TheoryData<string, string> EveryOperation => new()
    {
        { EntityAddress.ShardName, ShardOperations.Add },
        { EntityAddress.ShardName, ShardOperations.Tick },
        { EntityAddress.ShardName, ShardOperations.Write },
        { EntityAddress.GlobalName, GlobalOperations.Merge },
        { EntityAddress.GlobalName, GlobalOperations.Tick },
        { EntityAddress.GlobalName, GlobalOperations.Reset },
        { EntityAddress.GlobalName, GlobalOperations.Write },
        { EntityAddress.GlobalName, GlobalOperations.Resnapshot },
    };

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public void Dispatching_by_name_gives_the_same_step_as_calling_the_operation_directly(string entity, string operation)
    {
        var context = new EntityContext(entity == EntityAddress.ShardName ? EntityAddress.Shard(0) : EntityAddress.Global, Options, Given.At(10));
        var input = InputOf(operation, entity);
        var dispatchedState = Prepared(entity, operation);

        var expected = ApplyDirectly(Prepared(entity, operation), operation, input, context);
        var dispatched = EntityOperations.Apply(dispatchedState, operation, input, context);

        Assert.NotEmpty(expected.Effects);
        Assert.Same(dispatchedState, dispatched.State);
        Assert.Equal(Json(expected.State), Json(dispatched.State));
        Assert.Equal(expected.Effects.Select(Json), dispatched.Effects.Select(Json));
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public void The_input_type_of_every_operation_is_what_it_accepts(string entity, string operation) =>
        Assert.Equal(InputOf(operation, entity)?.GetType(), EntityOperations.InputTypeOf(entity, operation));

    [Theory]
    [InlineData(EntityAddress.ShardName, typeof(ShardState))]
    [InlineData(EntityAddress.GlobalName, typeof(GlobalState))]
    public void Each_entity_kind_names_its_state_type_and_starts_from_a_new_one(string entity, Type stateType)
    {
        Assert.Equal(stateType, EntityOperations.StateTypeOf(entity));
        Assert.IsType(stateType, EntityOperations.NewState(entity));
    }

    [Fact]
    public void An_unknown_entity_kind_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EntityOperations.StateTypeOf("counter"));
        Assert.Throws<ArgumentException>(() => EntityOperations.NewState("counter"));
        Assert.Throws<ArgumentException>(() => EntityOperations.InputTypeOf("counter", ShardOperations.Add));
    }

    [Theory]
    [InlineData(EntityAddress.ShardName, GlobalOperations.Merge)]
    [InlineData(EntityAddress.ShardName, "Add")]
    [InlineData(EntityAddress.GlobalName, ShardOperations.Add)]
    [InlineData(EntityAddress.GlobalName, "purge")]
    public void An_operation_the_entity_kind_does_not_have_is_refused(string entity, string operation)
    {
        var context = new EntityContext(new EntityAddress(entity, "0"), Options, Given.At(0));

        Assert.Throws<ArgumentException>(() => EntityOperations.InputTypeOf(entity, operation));
        Assert.Throws<ArgumentException>(() => EntityOperations.Apply(EntityOperations.NewState(entity), operation, null, context));
    }

    [Fact]
    public void An_input_of_the_wrong_type_is_refused()
    {
        var context = Given.Shard(0, Options, Given.At(0));

        Assert.Throws<ArgumentException>(() => EntityOperations.Apply(new ShardState(), ShardOperations.Add, new FlushTick(1), context));
        Assert.Throws<ArgumentException>(() => EntityOperations.Apply(new ShardState(), ShardOperations.Tick, null, context));
    }

    /// <summary>A state in which the operation has something to do, so that a wrong dispatch would show.</summary>
    private static object Prepared(string entity, string operation)
    {
        if (entity == EntityAddress.ShardName)
        {
            var shard = new ShardState();
            ShardOperations.ApplyAdd(shard, Given.Add(("a", 1)), Given.Shard(0, Options, Given.At(0)));
            return shard;
        }

        var global = new GlobalState();
        GlobalOperations.ApplyMerge(global, Given.Flush("0", 1, ("a", 1)), Given.Global(Options, Given.At(0)));
        if (operation == GlobalOperations.Resnapshot)
        {
            GlobalOperations.ApplyWrite(global, Given.Global(Options, Given.At(1)));
        }

        return global;
    }

    private static object? InputOf(string operation, string entity) => (entity, operation) switch
    {
        (EntityAddress.ShardName, ShardOperations.Add) => Given.Add(("b", 2)),
        (EntityAddress.ShardName, ShardOperations.Tick) => new FlushTick(1),
        (EntityAddress.GlobalName, GlobalOperations.Merge) => Given.Flush("1", 1, ("b", 2)),
        (EntityAddress.GlobalName, GlobalOperations.Tick) => new SnapshotTick(1),
        (EntityAddress.GlobalName, GlobalOperations.Reset) => new ResetCounter(Given.Key("a")),
        (EntityAddress.GlobalName, GlobalOperations.Resnapshot) => new ResnapshotCounters([Given.Key("a")]),
        _ => null,
    };

    private static EntityStep<object> ApplyDirectly(object state, string operation, object? input, EntityContext context) =>
        (state, operation) switch
        {
            (ShardState shard, ShardOperations.Add) => Boxed(ShardOperations.ApplyAdd(shard, (AddIncrements)input!, context)),
            (ShardState shard, ShardOperations.Tick) => Boxed(ShardOperations.ApplyTick(shard, (FlushTick)input!, context)),
            (ShardState shard, ShardOperations.Write) => Boxed(ShardOperations.ApplyWrite(shard, context)),
            (GlobalState global, GlobalOperations.Merge) => Boxed(GlobalOperations.ApplyMerge(global, (ShardFlush)input!, context)),
            (GlobalState global, GlobalOperations.Tick) => Boxed(GlobalOperations.ApplyTick(global, (SnapshotTick)input!, context)),
            (GlobalState global, GlobalOperations.Reset) => Boxed(GlobalOperations.ApplyReset(global, (ResetCounter)input!, context)),
            (GlobalState global, GlobalOperations.Write) => Boxed(GlobalOperations.ApplyWrite(global, context)),
            (GlobalState global, GlobalOperations.Resnapshot) => Boxed(GlobalOperations.ApplyResnapshot(global, (ResnapshotCounters)input!, context)),
            _ => throw new InvalidOperationException($"No direct call for {operation}."),
        };

    private static EntityStep<object> Boxed<TState>(EntityStep<TState> step)
        where TState : class => new(step.State, step.Effects);

    // Serialized by runtime type, so that effects and their inputs compare by value.
    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType());
}
