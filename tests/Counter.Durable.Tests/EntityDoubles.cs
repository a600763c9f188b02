using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Counter.Durable.Tests;

/// <summary>A signal an entity sent, with its input as the JSON the worker would send.</summary>
internal sealed record RecordedSignal(EntityInstanceId Target, string Operation, string? Input, DateTimeOffset? SignalTime);

/// <summary>The context of one entity instance that records what it is asked to signal instead of sending it.</summary>
internal sealed class RecordingEntityContext(EntityInstanceId id) : TaskEntityContext
{
    public List<RecordedSignal> Signals { get; } = [];

    public override EntityInstanceId Id => id;

    public override void SignalEntity(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null) =>
        Signals.Add(new RecordedSignal(id, operationName, WorkerJson.Serialize(input), options?.SignalTime));

    public override string ScheduleNewOrchestration(TaskName name, object? input = null, StartOrchestrationOptions? options = null) =>
        throw new NotSupportedException("Counter entities start no orchestrations.");
}

/// <summary>Entity state kept as JSON between operations, as Durable Entities keep it.</summary>
internal sealed class JsonEntityState : TaskEntityState
{
    public string? Json { get; private set; }

    public override bool HasState => Json is not null;

    public override object? GetState(Type type) => WorkerJson.Deserialize(Json, type);

    public override void SetState(object? state) => Json = WorkerJson.Serialize(state);
}

/// <summary>One operation as the entity runtime delivers it: a name and, maybe, a JSON input.</summary>
internal sealed class JsonEntityOperation(string name, object? input, TaskEntityContext context, TaskEntityState state) : TaskEntityOperation
{
    private readonly string? _input = WorkerJson.Serialize(input);

    public override string Name => name;

    public override TaskEntityContext Context => context;

    public override TaskEntityState State => state;

    public override bool HasInput => _input is not null;

    public override object? GetInput(Type inputType) => WorkerJson.Deserialize(_input, inputType);
}
