using RequestFailedException = Azure.RequestFailedException;
using Counter.Api;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using CoreQueries = DurableTask.Core.Entities.EntityBackendQueries;

namespace Counter.DurableHost.TaskHub;

/// <summary>
/// The SDK's entity client over the task hub's DurableTask.Core service, so the shared <c>DurableCounterBackend</c> works
/// here as it does in the Functions app. Written here because the SDK's own adapter for DurableTask.Core
/// (Microsoft.DurableTask.Client.OrchestrationServiceClientShim) is not available to this build. Inputs and states go
/// through the same <see cref="DataConverter"/> as the worker's entity shim. A storage failure surfaces as
/// <see cref="BackendUnavailableException"/>: nothing was enqueued, the client may retry.
/// </summary>
internal sealed class TaskHubEntityClient(TaskHubRuntime hub, DataConverter converter) : DurableEntityClient("counter")
{
    public override async Task SignalEntityAsync(
        EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationName);
        var now = DateTime.UtcNow;
        (DateTime, DateTime)? scheduled = options?.SignalTime is { } at
            ? (at.UtcDateTime, hub.Entities.EntityBackendProperties!.GetCappedScheduledTime(now, at.UtcDateTime))
            : null;
        var signal = ClientEntityHelpers.EmitOperationSignal(
            new OrchestrationInstance { InstanceId = id.ToString() }, Guid.NewGuid(), operationName, converter.Serialize(input), scheduled);
        await Reaching(() => hub.Service.SendTaskOrchestrationMessageAsync(signal.AsTaskMessage())).ConfigureAwait(false);
    }

    public override async Task<EntityMetadata?> GetEntityAsync(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
        await GetCoreEntityAsync(id, includeState, cancellation).ConfigureAwait(false) is { } found ? Untyped(found) : null;

    public override async Task<EntityMetadata<T>?> GetEntityAsync<T>(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
        await GetCoreEntityAsync(id, includeState, cancellation).ConfigureAwait(false) is { } found ? Typed<T>(found, includeState) : null;

    public override AsyncPageable<EntityMetadata> GetAllEntitiesAsync(EntityQuery? filter = null) => Query(filter, Untyped);

    public override AsyncPageable<EntityMetadata<T>> GetAllEntitiesAsync<T>(EntityQuery? filter = null) =>
        Query(filter, found => Typed<T>(found, filter?.IncludeState ?? true));

    public override async Task<CleanEntityStorageResult> CleanEntityStorageAsync(
        CleanEntityStorageRequest? request = null, bool continueUntilComplete = true, CancellationToken cancellation = default)
    {
        var wanted = request ?? CleanEntityStorageRequest.Default;
        var (removed, released) = (0, 0);
        var continuation = wanted.ContinuationToken;
        do
        {
            var result = await Reaching(() => hub.Entities.EntityBackendQueries!.CleanEntityStorageAsync(
                new CoreQueries.CleanEntityStorageRequest
                {
                    RemoveEmptyEntities = wanted.RemoveEmptyEntities,
                    ReleaseOrphanedLocks = wanted.ReleaseOrphanedLocks,
                    ContinuationToken = continuation,
                },
                cancellation)).ConfigureAwait(false);
            removed += result.EmptyEntitiesRemoved;
            released += result.OrphanedLocksReleased;
            continuation = result.ContinuationToken;
        }
        while (continueUntilComplete && continuation is not null);

        return new CleanEntityStorageResult { EmptyEntitiesRemoved = removed, OrphanedLocksReleased = released, ContinuationToken = continuation };
    }

    private Task<CoreQueries.EntityMetadata?> GetCoreEntityAsync(EntityInstanceId id, bool includeState, CancellationToken cancellation) =>
        Reaching(() => hub.Entities.EntityBackendQueries!.GetEntityAsync(
            new EntityId(id.Name, id.Key), includeState, includeStateless: false, cancellation));

    private AsyncPageable<TMetadata> Query<TMetadata>(EntityQuery? filter, Func<CoreQueries.EntityMetadata, TMetadata> convert)
        where TMetadata : notnull =>
        Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var result = await Reaching(() => hub.Entities.EntityBackendQueries!.QueryEntitiesAsync(
                new CoreQueries.EntityQuery
                {
                    InstanceIdStartsWith = filter?.InstanceIdStartsWith ?? "",
                    LastModifiedFrom = filter?.LastModifiedFrom?.UtcDateTime,
                    LastModifiedTo = filter?.LastModifiedTo?.UtcDateTime,
                    IncludeState = filter?.IncludeState ?? true,
                    IncludeTransient = filter?.IncludeTransient ?? false,
                    PageSize = pageSize ?? filter?.PageSize,
                    ContinuationToken = continuation ?? filter?.ContinuationToken,
                },
                cancellation)).ConfigureAwait(false);
            return new Page<TMetadata>(result.Results.Select(convert).ToList(), result.ContinuationToken);
        });

    private EntityMetadata Untyped(CoreQueries.EntityMetadata found) =>
        new(IdOf(found), found.SerializedState is { } state ? new SerializedData(state, converter) : null)
        {
            LastModifiedTime = found.LastModifiedTime,
            BacklogQueueSize = found.BacklogQueueSize,
            LockedBy = found.LockedBy,
        };

    private EntityMetadata<T> Typed<T>(CoreQueries.EntityMetadata found, bool includeState) =>
        includeState
            ? new EntityMetadata<T>(IdOf(found), converter.Deserialize<T>(found.SerializedState))
            {
                LastModifiedTime = found.LastModifiedTime,
                BacklogQueueSize = found.BacklogQueueSize,
                LockedBy = found.LockedBy,
            }
            : new EntityMetadata<T>(IdOf(found))
            {
                LastModifiedTime = found.LastModifiedTime,
                BacklogQueueSize = found.BacklogQueueSize,
                LockedBy = found.LockedBy,
            };

    private static EntityInstanceId IdOf(CoreQueries.EntityMetadata found) => new(found.EntityId.Name, found.EntityId.Key);

    private async Task<T> Reaching<T>(Func<Task<T>> call)
    {
        hub.ThrowUnlessRunning();
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception failure) when (IsStorageFailure(failure))
        {
            throw new BackendUnavailableException($"The task hub's storage cannot be reached: {failure.Message}", failure);
        }
    }

    /// <summary>The backend wraps the SDK's failures in exception types of its own (internal ones among them): look inside.</summary>
    private static bool IsStorageFailure(Exception? failure)
    {
        for (; failure is not null; failure = failure.InnerException)
        {
            if (failure is RequestFailedException or HttpRequestException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private Task Reaching(Func<Task> call) => Reaching(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });
}
