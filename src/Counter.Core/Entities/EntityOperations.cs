namespace Counter.Core;

/// <summary>
/// Dispatches an operation by name to the rules of the entity kind it is addressed to, for hosts that deliver
/// operations generically (the embedded runtime). Hosts that map operations to methods (Durable Entities) call
/// <see cref="ShardOperations"/> and <see cref="GlobalOperations"/> directly.
/// </summary>
public static class EntityOperations
{
    public static Type StateTypeOf(string entityName) => entityName switch
    {
        EntityAddress.ShardName => typeof(ShardState),
        EntityAddress.GlobalName => typeof(GlobalState),
        _ => throw UnknownEntity(entityName),
    };

    public static object NewState(string entityName) => entityName switch
    {
        EntityAddress.ShardName => new ShardState(),
        EntityAddress.GlobalName => new GlobalState(),
        _ => throw UnknownEntity(entityName),
    };

    /// <summary>The type an operation's input deserializes to, or null for operations without input.</summary>
    public static Type? InputTypeOf(string entityName, string operation) => (entityName, operation) switch
    {
        (EntityAddress.ShardName, ShardOperations.Add) => typeof(AddIncrements),
        (EntityAddress.ShardName, ShardOperations.Tick) => typeof(FlushTick),
        (EntityAddress.ShardName, ShardOperations.Write) => null,
        (EntityAddress.ShardName, ShardOperations.Forget) => typeof(ForgetCounters),
        (EntityAddress.GlobalName, GlobalOperations.Merge) => typeof(ShardFlush),
        (EntityAddress.GlobalName, GlobalOperations.Tick) => typeof(SnapshotTick),
        (EntityAddress.GlobalName, GlobalOperations.Reset) => typeof(ResetCounter),
        (EntityAddress.GlobalName, GlobalOperations.Write) => null,
        (EntityAddress.GlobalName, GlobalOperations.Resnapshot) => typeof(ResnapshotCounters),
        (EntityAddress.GlobalName, GlobalOperations.Create) => typeof(CreateCounter),
        (EntityAddress.GlobalName, GlobalOperations.Set) => typeof(SetCounter),
        (EntityAddress.GlobalName, GlobalOperations.Delete) => typeof(DeleteCounter),
        (EntityAddress.GlobalName, GlobalOperations.DeleteTenant) => typeof(DeleteTenant),
        _ => throw UnknownOperation(entityName, operation),
    };

    public static EntityStep<object> Apply(object state, string operation, object? input, EntityContext context) =>
        (state, operation) switch
        {
            (ShardState shard, ShardOperations.Add) => Boxed(ShardOperations.ApplyAdd(shard, Input<AddIncrements>(input), context)),
            (ShardState shard, ShardOperations.Tick) => Boxed(ShardOperations.ApplyTick(shard, Input<FlushTick>(input), context)),
            (ShardState shard, ShardOperations.Write) => Boxed(ShardOperations.ApplyWrite(shard, context)),
            (ShardState shard, ShardOperations.Forget) => Boxed(ShardOperations.ApplyForget(shard, Input<ForgetCounters>(input), context)),
            (GlobalState global, GlobalOperations.Merge) => Boxed(GlobalOperations.ApplyMerge(global, Input<ShardFlush>(input), context)),
            (GlobalState global, GlobalOperations.Tick) => Boxed(GlobalOperations.ApplyTick(global, Input<SnapshotTick>(input), context)),
            (GlobalState global, GlobalOperations.Reset) => Boxed(GlobalOperations.ApplyReset(global, Input<ResetCounter>(input), context)),
            (GlobalState global, GlobalOperations.Write) => Boxed(GlobalOperations.ApplyWrite(global, context)),
            (GlobalState global, GlobalOperations.Resnapshot) => Boxed(GlobalOperations.ApplyResnapshot(global, Input<ResnapshotCounters>(input), context)),
            (GlobalState global, GlobalOperations.Set) => Boxed(GlobalOperations.ApplySet(global, Input<SetCounter>(input), context)),
            (GlobalState global, GlobalOperations.Create) => Boxed(GlobalOperations.ApplyCreate(global, Input<CreateCounter>(input), context)),
            (GlobalState global, GlobalOperations.Delete) => Boxed(GlobalOperations.ApplyDelete(global, Input<DeleteCounter>(input), context)),
            (GlobalState global, GlobalOperations.DeleteTenant) => Boxed(GlobalOperations.ApplyDeleteTenant(global, Input<DeleteTenant>(input), context)),
            _ => throw UnknownOperation(context.Self.Name, operation),
        };

    private static EntityStep<object> Boxed<TState>(EntityStep<TState> step)
        where TState : class => new(step.State, step.Effects);

    private static TInput Input<TInput>(object? input) => input is TInput typed
        ? typed
        : throw new ArgumentException($"Expected an input of type {typeof(TInput).Name}, got {input?.GetType().Name ?? "none"}.", nameof(input));

    private static ArgumentException UnknownEntity(string entityName) =>
        new($"There is no entity kind '{entityName}'.", nameof(entityName));

    private static ArgumentException UnknownOperation(string entityName, string operation) =>
        new($"The entity kind '{entityName}' has no operation '{operation}'.", nameof(operation));
}
