using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Counter.Api;
using Counter.Core;
using Counter.Storage;
using Microsoft.Extensions.Options;

namespace Counter.Server.Runtime;

/// <summary>
/// An embedded, durable, single-node entity runtime over <see cref="SqliteEntityStore"/>. It knows nothing of counting:
/// it delivers operations through <see cref="EntityOperations"/>, one at a time per entity and in order, commits each
/// batch of an entity with its effects in one transaction, fires scheduled signals on the injected clock and delivers
/// snapshots to the read path through a durable outbox. Whatever is persisted and not yet processed is resumed on start.
/// </summary>
public sealed partial class EntityRuntime
{
    private readonly ConcurrentDictionary<EntityAddress, EntityInstance> instances = new();
    private readonly WorkCounter pending = new();
    private readonly WorkCounter runners = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SqliteEntityStore store;
    private readonly IOptionsMonitor<CounterOptions> counterOptions;
    private readonly RuntimeOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<EntityRuntime> logger;
    private readonly RuntimeMetrics metrics;
    private readonly GroupCommitter committer;
    private readonly ScheduledSignals scheduled;
    private readonly SnapshotOutboxWriter outbox;
    private Task loops = Task.CompletedTask;
    private volatile bool stopped;

    public EntityRuntime(
        SqliteEntityStore store,
        ISnapshotStore snapshots,
        IOptionsMonitor<CounterOptions> counterOptions,
        IOptions<RuntimeOptions> options,
        TimeProvider timeProvider,
        IMeterFactory meterFactory,
        ILogger<EntityRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.counterOptions = counterOptions;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        metrics = new RuntimeMetrics(meterFactory, () => pending.Count, () => OutboxStatus.Backlog);
        outbox = new SnapshotOutboxWriter(store, snapshots, timeProvider, this.options, metrics, logger);
        committer = new GroupCommitter(store, this.options.MaxSignalsPerCommit, OnSignalsCommitted, metrics);
        scheduled = new ScheduledSignals(timeProvider, message =>
        {
            pending.Add(1);
            Deliver(message);
        });
    }

    /// <summary>Messages accepted or emitted and not processed yet (scheduled ones count once due).</summary>
    public long PendingSignals => pending.Count;

    /// <summary>How the delivery of snapshots to the read path is going.</summary>
    public SnapshotOutboxStatus OutboxStatus => outbox.Status;

    /// <summary>True between <see cref="Start"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>
    /// Loads everything persisted, schedules what is scheduled and starts processing what is due. Refuses to start when
    /// the totals were kept with another <see cref="CounterOptions.GlobalPartitions"/>.
    /// </summary>
    public void Start()
    {
        var persisted = store.Load();
        foreach (var state in persisted.States)
        {
            var instance = instances.GetOrAdd(state.Entity, static address => new EntityInstance(address));
            instance.State = RuntimeJson.State(state.Entity, state);
            instance.HasCommittedState = true;
            instance.KeptTotals = state.Totals.Count;
        }

        var globals = instances.Values
            .Where(static instance => instance.Address.Name == EntityAddress.GlobalName && instance.State is GlobalState)
            .Select(static instance => (instance.Address, (GlobalState)instance.State!));
        if (GlobalPartitions.ProblemWith(globals, counterOptions.CurrentValue.GlobalPartitions) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        foreach (var id in persisted.Outbox)
        {
            outbox.Add(id, snapshot: null);
        }

        foreach (var message in persisted.Messages)
        {
            Route(message);
        }

        loops = Task.WhenAll(Task.Run(committer.RunAsync), Task.Run(() => outbox.RunAsync(stopping.Token)));
        IsRunning = true;
        LogStarted(logger, persisted.States.Count, persisted.Messages.Count, persisted.Outbox.Count);
    }

    /// <summary>
    /// Sends an operation from outside (the HTTP side) and returns once it is persisted. Refuses with
    /// <see cref="BackendOverloadedException"/> while <see cref="RuntimeOptions.MaxPendingSignals"/> messages wait.
    /// </summary>
    public Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken)
    {
        var message = Message(target, operation, input);
        if (!pending.TryAddOne(options.MaxPendingSignals))
        {
            throw new BackendOverloadedException(
                options.OverloadRetryAfter,
                $"The host has {options.MaxPendingSignals} signals waiting to be processed; retry later.");
        }

        return CommitAsync(message).WaitAsync(cancellationToken);
    }

    /// <summary>A consistent copy of an entity's last committed state, read from the store, or null if it has none.</summary>
    public TState? ReadEntity<TState>(EntityAddress entity)
        where TState : class
    {
        if (EntityOperations.StateTypeOf(entity.Name) != typeof(TState))
        {
            throw new ArgumentException($"The state of '{entity.Name}' entities is a {EntityOperations.StateTypeOf(entity.Name).Name}, not a {typeof(TState).Name}.", nameof(entity));
        }

        return store.ReadState(entity) is { } stored ? (TState)RuntimeJson.State(entity, stored) : null;
    }

    /// <summary>Every entity of one kind that has state.</summary>
    public IReadOnlyList<EntityAddress> ListEntities(string entityName) =>
        [.. instances.Values.Where(instance => instance.Address.Name == entityName && instance.HasCommittedState).Select(instance => instance.Address)];

    /// <summary>Completes once every message persisted so far, and every message they caused, is processed.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => pending.WhenZeroAsync(cancellationToken);

    /// <summary>Completes once every snapshot emitted so far is in the snapshot store.</summary>
    public Task WhenSnapshotsDeliveredAsync(CancellationToken cancellationToken) => outbox.WhenDrainedAsync(cancellationToken);

    /// <summary>
    /// Hands everything buffered to the read path: every shard writes to the global entities, then each of them
    /// snapshots, then the outbox drains. Cancelling it loses nothing: all of it is durable and resumes on the next start.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var shards = instances.Keys.Where(address => address.Name == EntityAddress.ShardName).ToList();
        await Task.WhenAll(shards.Select(shard => CommitInternalAsync(shard, ShardOperations.Write))).WaitAsync(cancellationToken).ConfigureAwait(false);
        await pending.WhenZeroAsync(cancellationToken).ConfigureAwait(false);
        var globals = GlobalPartitions.All(counterOptions.CurrentValue.GlobalPartitions);
        await Task.WhenAll(globals.Select(global => CommitInternalAsync(global, GlobalOperations.Write))).WaitAsync(cancellationToken).ConfigureAwait(false);
        await pending.WhenZeroAsync(cancellationToken).ConfigureAwait(false);
        await WhenSnapshotsDeliveredAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes no more work, lets running batches commit, and stops the loops. What is left stays persisted.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        IsRunning = false;
        stopped = true;
        committer.Complete();
        scheduled.Dispose();
        await stopping.CancelAsync().ConfigureAwait(false);
        await loops.ConfigureAwait(false);
        await runners.WhenZeroAsync(CancellationToken.None).ConfigureAwait(false);
        LogStopped(logger, pending.Count, outbox.Status.Backlog);
    }

    private Task CommitInternalAsync(EntityAddress target, string operation)
    {
        pending.Add(1);
        return CommitAsync(Message(target, operation, null));
    }

    private async Task CommitAsync(EntityMessage message)
    {
        try
        {
            await committer.CommitAsync(message).ConfigureAwait(false);
        }
        catch
        {
            pending.Add(-1);
            throw;
        }
    }

    /// <summary>Group-committed signals are counted in <see cref="pending"/> from the moment they were accepted.</summary>
    private void OnSignalsCommitted(IReadOnlyList<StoredMessage> messages)
    {
        foreach (var message in messages)
        {
            Deliver(message);
        }
    }

    /// <summary>A persisted message: queued now, or held until its due time.</summary>
    private void Route(StoredMessage message)
    {
        if (message.Message.DueAt is null)
        {
            pending.Add(1);
            Deliver(message);
        }
        else
        {
            scheduled.Add(message);
        }
    }

    private void Deliver(StoredMessage message)
    {
        var instance = instances.GetOrAdd(message.Message.Target, static address => new EntityInstance(address));
        if (instance.Enqueue(message))
        {
            runners.Add(1);
            _ = Task.Run(() => RunAsync(instance));
        }
    }

    private static EntityMessage Message(EntityAddress target, string operation, object? input)
    {
        var inputType = EntityOperations.InputTypeOf(target.Name, operation);
        if (inputType is null ? input is not null : !inputType.IsInstanceOfType(input))
        {
            throw new ArgumentException($"The operation '{operation}' of '{target.Name}' takes {inputType?.Name ?? "no input"}, not {input?.GetType().Name ?? "none"}.", nameof(input));
        }

        return new EntityMessage(target, operation, RuntimeJson.SerializeInput(input)) { Input = input };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Entity runtime started with {States} entities, {Messages} persisted messages and {Outbox} snapshots to deliver.")]
    private static partial void LogStarted(ILogger logger, int states, int messages, int outbox);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entity runtime stopped; {Pending} messages and {Outbox} snapshots stay persisted for the next start.")]
    private static partial void LogStopped(ILogger logger, long pending, int outbox);
}
