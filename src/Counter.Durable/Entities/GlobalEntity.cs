using Counter.Core;
using Microsoft.DurableTask.Entities;

namespace Counter.Durable.Entities;

/// <summary>
/// The global entity (<c>@global@default</c>): merges shard flushes exactly once, keeps the totals and snapshots them,
/// by the rules of <see cref="GlobalOperations"/>. Each public method is the operation of the same name.
/// </summary>
public sealed class GlobalEntity(EntityShell shell) : TaskEntity<GlobalState>
{
    public async Task Merge(ShardFlush input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyMerge(State, input, context)).ConfigureAwait(false);

    public async Task Tick(SnapshotTick input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyTick(State, input, context)).ConfigureAwait(false);

    public async Task Reset(ResetCounter input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyReset(State, input, context)).ConfigureAwait(false);

    public async Task Write() =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyWrite(State, context)).ConfigureAwait(false);

    public async Task Resnapshot(ResnapshotCounters input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyResnapshot(State, input, context)).ConfigureAwait(false);

    public async Task Set(SetCounter input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplySet(State, input, context)).ConfigureAwait(false);

    public async Task Create(CreateCounter input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyCreate(State, input, context)).ConfigureAwait(false);

    public async Task Delete(DeleteCounter input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyDelete(State, input, context)).ConfigureAwait(false);

    public async Task DeleteTenant(DeleteTenant input) =>
        State = await shell.RunAsync(Context, context => GlobalOperations.ApplyDeleteTenant(State, input, context)).ConfigureAwait(false);

    protected override GlobalState InitializeState(TaskEntityOperation entityOperation) => new();
}
