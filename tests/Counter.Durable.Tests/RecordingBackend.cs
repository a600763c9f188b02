using Counter.Api;
using Counter.Core;

namespace Counter.Durable.Tests;

/// <summary>
/// Stands in for the Durable backend under the coalescer: records each signal it is asked to send, and fails the ones
/// <see cref="FailWhen"/> picks, as an enqueue that cannot reach storage would.
/// </summary>
internal sealed class RecordingBackend(CounterOptions options) : ICounterBackend
{
    private readonly List<(EntityAddress Target, string Operation, object? Input)> signals = [];

    public Func<EntityAddress, bool> FailWhen { get; set; } = static _ => false;

    public CounterOptions Options => options;

    public ISnapshotStore Snapshots => throw new NotSupportedException();

    public IReadOnlyList<(EntityAddress Target, string Operation, object? Input)> Signals
    {
        get
        {
            lock (signals)
            {
                return [.. signals];
            }
        }
    }

    public Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken)
    {
        if (FailWhen(target))
        {
            return Task.FromException(new BackendUnavailableException($"{target} cannot be reached."));
        }

        lock (signals)
        {
            signals.Add((target, operation, input));
        }

        return Task.CompletedTask;
    }

    public Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class => throw new NotSupportedException();

    public Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
