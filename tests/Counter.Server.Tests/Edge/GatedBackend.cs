using System.Threading.Channels;
using Counter.Api;
using Counter.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// The host's real backend behind a gate the test holds: every signal is announced as an <see cref="Arrival"/> and
/// waits until the test opens its gate (or its request is cancelled), then goes to the real backend. It is the
/// control point of the throttling tests, which test the middleware in front of it, not the backend.
/// </summary>
internal sealed class GatedBackend(ICounterBackend inner) : ICounterBackend
{
    private readonly Channel<Arrival> arrivals = Channel.CreateUnbounded<Arrival>();
    private int running;
    private int mostRunning;

    public CounterOptions Options => inner.Options;

    public ISnapshotStore Snapshots => inner.Snapshots;

    /// <summary>The most signals that were inside the backend at once.</summary>
    public int MostRunning => Volatile.Read(ref mostRunning);

    /// <summary>Wraps the host's registered backend in a gate, registered as itself and as the backend.</summary>
    public static void Install(IServiceCollection services)
    {
        var original = services.Single(static service => service.ServiceType == typeof(ICounterBackend));
        services.Remove(original);
        var type = original.ImplementationType!;
        services.AddSingleton(type);
        services.AddSingleton(provider => new GatedBackend((ICounterBackend)provider.GetRequiredService(type)));
        services.AddSingleton<ICounterBackend>(static provider => provider.GetRequiredService<GatedBackend>());
    }

    /// <summary>The next signal that reached the backend, within 10 s.</summary>
    public async Task<Arrival> NextArrivalAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await arrivals.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Whether a signal reached the backend and was not yet taken with <see cref="NextArrivalAsync"/>.</summary>
    public bool HasArrival => arrivals.Reader.TryPeek(out _);

    public async Task SignalAsync(EntityAddress target, string operation, object? input, CancellationToken cancellationToken)
    {
        var counter = input is AddIncrements add ? add.Increments[0].Counter.Name : operation;
        var arrival = new Arrival(counter, cancellationToken);
        var now = Interlocked.Increment(ref running);
        InterlockedMax(now);
        try
        {
            arrivals.Writer.TryWrite(arrival);
            await arrival.Gate.Task.WaitAsync(cancellationToken);
            await inner.SignalAsync(target, operation, input, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    public Task<TState?> ReadEntityAsync<TState>(EntityAddress entity, CancellationToken cancellationToken)
        where TState : class => inner.ReadEntityAsync<TState>(entity, cancellationToken);

    public Task<IReadOnlyList<EntityAddress>> ListEntitiesAsync(string entityName, CancellationToken cancellationToken) =>
        inner.ListEntitiesAsync(entityName, cancellationToken);

    public Task<long> ReadTotalAsync(CounterKey counter, CancellationToken cancellationToken) =>
        inner.ReadTotalAsync(counter, cancellationToken);

    private void InterlockedMax(int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref mostRunning)) && Interlocked.CompareExchange(ref mostRunning, value, seen) != seen)
        {
        }
    }

    /// <summary>One signal inside the backend: which counter it increments, its request's token, and the gate that lets it on.</summary>
    public sealed record Arrival(string Counter, CancellationToken Token)
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => Gate.TrySetResult();
    }
}
