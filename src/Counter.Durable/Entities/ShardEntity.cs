using Counter.Core;
using Microsoft.DurableTask.Entities;

namespace Counter.Durable.Entities;

/// <summary>
/// A shard entity (<c>@shard@n</c>): buffers increments and hands them to the global entity, by the rules of
/// <see cref="ShardOperations"/>. Each public method is the operation of the same name.
/// </summary>
public sealed class ShardEntity(EntityShell shell) : TaskEntity<ShardState>
{
    public async Task Add(AddIncrements input) =>
        State = await shell.RunAsync(Context, context => ShardOperations.ApplyAdd(State, input, context)).ConfigureAwait(false);

    public async Task Tick(FlushTick input) =>
        State = await shell.RunAsync(Context, context => ShardOperations.ApplyTick(State, input, context)).ConfigureAwait(false);

    public async Task Write() =>
        State = await shell.RunAsync(Context, context => ShardOperations.ApplyWrite(State, context)).ConfigureAwait(false);

    public async Task Forget(ForgetCounters input) =>
        State = await shell.RunAsync(Context, context => ShardOperations.ApplyForget(State, input, context)).ConfigureAwait(false);

    protected override ShardState InitializeState(TaskEntityOperation entityOperation) => new();
}
