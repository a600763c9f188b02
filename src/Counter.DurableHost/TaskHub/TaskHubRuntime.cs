using Counter.Api;
using Counter.Core;
using Microsoft.DurableTask;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.Extensions.Options;

namespace Counter.DurableHost.TaskHub;

/// <summary>
/// The task hub on the Azure Storage backend and this process's worker on it. The hub is created if missing and the
/// worker started in the background, retried until the storage answers, so that the HTTP contract and <c>/healthz</c>
/// are up (answering 503 and Unhealthy) while it is not; the worker is stopped gracefully on shutdown, releasing its
/// partition leases to the other processes of the hub.
/// </summary>
internal sealed partial class TaskHubRuntime : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryStartAfter = TimeSpan.FromSeconds(2);

    private readonly IOptions<DurableOptions> options;
    private readonly IOptionsMonitor<CounterOptions> counterOptions;
    private readonly DataConverter converter;
    private readonly IHostApplicationLifetime lifetime;
    private readonly Lazy<AzureStorageOrchestrationService> service;
    private readonly EntityBatchDispatcher dispatcher;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock stopGate = new();
    private TaskHubWorker? worker;
    private Task? starting;
    private Task? stopped;
    private volatile bool running;

    public TaskHubRuntime(
        IOptions<DurableOptions> options,
        IOptionsMonitor<CounterOptions> counterOptions,
        EntityBatchDispatcher dispatcher,
        DataConverter converter,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        this.options = options;
        this.counterOptions = counterOptions;
        this.converter = converter;
        this.lifetime = lifetime;
        this.dispatcher = dispatcher;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<TaskHubRuntime>();
        // Made on first use, not here: hosted services are constructed before the options are validated on start, and
        // invalid options must stop the host with their own message.
        service = new Lazy<AzureStorageOrchestrationService>(CreateService);
    }

    public string TaskHubName => options.Value.TaskHub;

    public AzureStorageOrchestrationService Service => service.Value;

    public IEntityOrchestrationService Entities => Service;

    public bool IsRunning => running;

    /// <summary>Why the last attempt to create or start the hub failed, while it is not running.</summary>
    public Exception? StartFailure { get; private set; }

    public void ThrowUnlessRunning()
    {
        if (!IsRunning)
        {
            throw new BackendUnavailableException(
                $"Task hub '{TaskHubName}' is not running yet{(StartFailure is { } failure ? $": {failure.Message}" : ".")}", StartFailure);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        starting = Task.Run(() => StartUntilRunningAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Runs once: a host that is both disposed and shut down (as under WebApplicationFactory) asks twice.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (stopGate)
        {
            return stopped ??= StopOnceAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Gives up when the host's shutdown timeout cancels <paramref name="cancellationToken"/>: the backend's graceful
    /// stop retries against storage it cannot reach for as long as it takes, and the process would never exit. Nothing
    /// acknowledged is lost by leaving: the partition leases expire and what was dequeued is delivered again.
    /// </summary>
    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            if (starting is not null)
            {
                await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            running = false;
            if (worker is not null)
            {
                await worker.StopAsync(isForced: false).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            running = false;
            LogStopAbandoned(TaskHubName);
        }
    }

    public void Dispose()
    {
        stopping.Dispose();
        worker?.Dispose();
    }

    private AzureStorageOrchestrationService CreateService()
    {
        var durable = options.Value;
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = StorageConnections.ClientProviderFor(durable),
            TaskHubName = durable.TaskHub,
            PartitionCount = durable.PartitionCount,
            MaxQueuePollingInterval = durable.MaxQueuePollingInterval,
            ControlQueueBufferThreshold = durable.ControlQueueBufferThreshold,
            ControlQueueVisibilityTimeout = durable.ControlQueueVisibilityTimeout,
            ExtendedSessionsEnabled = durable.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = durable.ExtendedSessionIdleTimeout,
            WorkerId = durable.WorkerId,
            // Without it DurableTask.Core starts no entity dispatcher (AddTaskEntities throws NotSupportedException).
            UseSeparateQueueForEntityWorkItems = true,
            LoggerFactory = loggerFactory,
        });
    }

    private async Task StartUntilRunningAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Service.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                if (await GlobalPartitionsProblemAsync(cancellationToken).ConfigureAwait(false) is { } problem)
                {
                    // Before the worker takes a single message: counting on would lose or double counts.
                    StartFailure = new InvalidOperationException(problem);
                    LogRefusedToStart(problem);
                    Environment.ExitCode = 1;
                    lifetime.StopApplication();
                    return;
                }

                var started = new TaskHubWorker(Service, loggerFactory);
                started.AddEntityDispatcherMiddleware(dispatcher.DispatchAsync);
                await started.StartAsync().ConfigureAwait(false);
                worker = started;
                StartFailure = null;
                running = true;
                LogStarted(TaskHubName);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                StartFailure = failure;
                LogStartFailed(failure, TaskHubName, RetryStartAfter);
            }

            try
            {
                await Task.Delay(RetryStartAfter, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<string?> GlobalPartitionsProblemAsync(CancellationToken cancellationToken)
    {
        var globals = new List<(EntityAddress, GlobalState)>();
        var query = new EntityBackendQueries.EntityQuery { InstanceIdStartsWith = $"@{EntityAddress.GlobalName}@", IncludeState = true };
        do
        {
            var page = await Entities.EntityBackendQueries!.QueryEntitiesAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Results)
            {
                if (converter.Deserialize<GlobalState>(entity.SerializedState) is { } state)
                {
                    globals.Add((new EntityAddress(entity.EntityId.Name, entity.EntityId.Key), state));
                }
            }

            query.ContinuationToken = page.ContinuationToken;
        }
        while (query.ContinuationToken is not null);

        return GlobalPartitions.ProblemWith(globals, counterOptions.CurrentValue.GlobalPartitions);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refusing to start: {Problem}")]
    private partial void LogRefusedToStart(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task hub '{TaskHub}' is running: this process now takes its share of the hub's partitions.")]
    private partial void LogStarted(string taskHub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task hub '{TaskHub}' could not be created or started; trying again in {Delay}.")]
    private partial void LogStartFailed(Exception exception, string taskHub, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task hub '{TaskHub}': the worker did not stop within the shutdown timeout (its storage unreachable?). Exiting without it: its partition leases expire for the other processes, and the messages it had taken are delivered again once Durable:ControlQueueVisibilityTimeout passes.")]
    private partial void LogStopAbandoned(string taskHub);
}
