using Counter.Durable.Entities;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using DurableTask.Core.Middleware;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;

namespace Counter.DurableHost.TaskHub;

/// <summary>
/// Runs each batch of entity operations through the isolated SDK's own entity dispatch (its public shim for alternate
/// runtimes), so the entity classes, their state serialization and their signals behave as under the Functions worker.
/// DurableTask.Core looks entities up by name alone while the shim needs the instance's id: hence an entity dispatcher
/// middleware, which sees the batch's instance id, rather than registered entity types. In an extended session Core
/// passes an entity's state with the session's first batch only: the state each batch leaves is kept for the next.
/// </summary>
internal sealed class EntityBatchDispatcher(IServiceProvider services, DurableTaskShimFactory shims, ExtendedSessionStates sessionStates)
{
    public async Task DispatchAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        var request = context.GetProperty<EntityBatchRequest>();
        ArgumentNullException.ThrowIfNull(request?.InstanceId, nameof(request));
        var id = EntityId.FromString(request.InstanceId);
        if (DurableEntities.TypeOf(id.Name) is not { } type)
        {
            // Not ours: DurableTask.Core then fails the batch as an unknown entity.
            await next().ConfigureAwait(false);
            return;
        }

        var session = context.GetProperty<WorkItemMetadata>();
        if (session is { IncludeState: false })
        {
            // Running on an empty state instead would lose the entity's counts: failing the batch has it delivered again,
            // in a new session that starts from the stored state.
            request.EntityState = sessionStates.TryGet(request.InstanceId, out var kept)
                ? kept
                : throw new InvalidOperationException($"Entity {request.InstanceId}'s state was not kept for its extended session.");
        }

        var entity = (ITaskEntity)ActivatorUtilities.CreateInstance(services, type);
        var shim = shims.CreateEntity(new TaskName(id.Name), entity, id);
        var result = await shim.ExecuteOperationBatchAsync(request).ConfigureAwait(false);
        if (session is { IsExtendedSession: true })
        {
            sessionStates.Keep(request.InstanceId, result.EntityState);
        }
        else
        {
            sessionStates.Forget(request.InstanceId);
        }

        context.SetProperty(result);
    }
}
