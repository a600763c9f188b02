using Counter.Core;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Durable.Tests;

/// <summary>
/// One entity instance driven the way the Durable Entities worker drives it: the entity class is created from the
/// Durable hosts' own service registrations (a fresh instance per operation), its state kept as JSON between operations.
/// </summary>
internal sealed class EntityHarness<TEntity, TState> : IDisposable
    where TEntity : ITaskEntity
    where TState : class, new()
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public EntityHarness(EntityInstanceId id, Action<CounterOptions> configure)
    {
        Id = id;
        var services = new ServiceCollection()
            .AddLogging()
            .AddDurableCounters(new ConfigurationBuilder().Build());
        services.Configure(configure);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ISnapshotStore>(Store);
        _services = services.BuildServiceProvider();
    }

    public EntityInstanceId Id { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingSnapshotStore Store { get; } = new();

    public JsonEntityState State { get; } = new();

    public TState? CurrentState => (TState?)WorkerJson.Deserialize(State.Json, typeof(TState));

    public CounterOptions Options => _services.GetRequiredService<IOptionsMonitor<CounterOptions>>().CurrentValue;

    /// <summary>Delivers one operation and returns the signals it sent.</summary>
    public async Task<IReadOnlyList<RecordedSignal>> RunAsync(string operation, object? input = null)
    {
        var context = new RecordingEntityContext(Id);
        var entity = ActivatorUtilities.CreateInstance<TEntity>(_services);
        await entity.RunAsync(new JsonEntityOperation(operation, input, context, State));
        return context.Signals;
    }

    /// <summary>What the core itself does with (a copy of) the current state, now: the outcome the shell must carry out.</summary>
    public EntityStep<TState> Expect(Func<TState, EntityContext, EntityStep<TState>> operation) =>
        operation(CurrentState ?? new TState(), new EntityContext(new EntityAddress(Id.Name, Id.Key), Options, Time.GetUtcNow()));

    public static IReadOnlyList<RecordedSignal> SignalsOf(EntityStep<TState> step) =>
        step.Effects.OfType<SignalEffect>()
            .Select(static signal => new RecordedSignal(
                new EntityInstanceId(signal.Target.Name, signal.Target.Key), signal.Operation, WorkerJson.Serialize(signal.Input), signal.At))
            .ToList();

    public static IReadOnlyList<string?> SnapshotsOf(EntityStep<TState> step) =>
        step.Effects.OfType<SnapshotEffect>().Select(static snapshot => WorkerJson.Serialize(snapshot.Batch)).ToList();

    public IReadOnlyList<string?> Written => Store.Written.Select(static batch => WorkerJson.Serialize(batch)).ToList();

    public void Dispose() => _services.Dispose();
}
