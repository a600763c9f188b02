using Counter.Api;
using Counter.Core;
using Counter.Durable.Coalescing;
using Counter.Testing;

namespace Counter.Durable.Tests;

public sealed class CoalescingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(20);
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public async Task Requests_inside_one_window_are_one_signal_answered_once_it_is_sent()
    {
        var (backend, recorded) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window });

        var requests = Enumerable.Range(0, 10).Select(i => Increment(backend, 1, i % 2 == 0 ? "likes" : "views")).ToList();
        Assert.All(requests, static request => Assert.False(request.IsCompleted));
        Assert.Empty(recorded.Signals);

        clock.Advance(Window);
        await Task.WhenAll(requests);

        var (target, operation, input) = Assert.Single(recorded.Signals);
        Assert.Equal(EntityAddress.Shard(1), target);
        Assert.Equal(ShardOperations.Add, operation);
        var add = Assert.IsType<AddIncrements>(input);
        Assert.Equal(10, add.IncrementCount);
        Assert.Equal([("likes", 5L), ("views", 5L)], add.Increments.Select(static i => (i.Counter.Name, i.Delta)).Order());
    }

    [Fact]
    public async Task The_cap_sends_a_full_signal_at_once_and_the_rest_when_the_window_closes()
    {
        var (backend, recorded) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window, MaxIncrementsPerSignal = 3 });

        var requests = Enumerable.Range(0, 7).Select(_ => Increment(backend, 0, "likes")).ToList();
        await Task.WhenAll(requests.Take(6));
        Assert.False(requests[6].IsCompleted);
        Assert.Equal([3L, 3L], recorded.Signals.Select(static signal => ((AddIncrements)signal.Input!).IncrementCount));

        clock.Advance(Window);
        await requests[6];
        Assert.Equal([3L, 3L, 1L], recorded.Signals.Select(static signal => ((AddIncrements)signal.Input!).IncrementCount));
    }

    [Fact]
    public async Task A_failed_enqueue_fails_only_the_requests_it_carried()
    {
        var (backend, recorded) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window });
        recorded.FailWhen = static target => target == EntityAddress.Shard(0);

        var failing = Enumerable.Range(0, 3).Select(_ => Increment(backend, 0, "likes")).ToList();
        var passing = Enumerable.Range(0, 3).Select(_ => Increment(backend, 1, "likes")).ToList();
        clock.Advance(Window);

        await Task.WhenAll(passing);
        foreach (var request in failing)
        {
            await Assert.ThrowsAsync<BackendUnavailableException>(() => request);
        }

        var sent = Assert.Single(recorded.Signals);
        Assert.Equal(EntityAddress.Shard(1), sent.Target);
    }

    [Fact]
    public async Task A_window_of_zero_sends_one_signal_per_request()
    {
        var (backend, recorded) = Coalescing(new CounterOptions { SignalCoalescingWindow = TimeSpan.Zero });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Increment(backend, 0, "likes")));

        Assert.Equal(4, recorded.Signals.Count);
        Assert.All(recorded.Signals, static signal => Assert.Null(((AddIncrements)signal.Input!).Count));
    }

    [Fact]
    public async Task Past_the_bound_of_waiting_requests_new_ones_are_refused_with_a_retry_after()
    {
        var (backend, _) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window, MaxCoalescingRequests = 2 });
        var waiting = new[] { Increment(backend, 0, "likes"), Increment(backend, 1, "likes") };

        var refused = await Assert.ThrowsAsync<BackendOverloadedException>(() => Increment(backend, 2, "likes"));

        Assert.True(refused.RetryAfter > TimeSpan.Zero);
        clock.Advance(Window);
        await Task.WhenAll(waiting);

        var acceptedAgain = Increment(backend, 2, "likes");
        clock.Advance(Window);
        await acceptedAgain;
    }

    [Fact]
    public async Task Increments_that_name_no_shard_go_to_the_shard_being_gathered_for_one_signal_in_all()
    {
        var (backend, recorded) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window, ShardCount = 64 });

        var first = backend.ChooseShard();
        var requests = new List<Task> { Increment(backend, first, "likes") };
        for (var request = 1; request < 20; request++)
        {
            var shard = backend.ChooseShard();
            Assert.Equal(first, shard);
            requests.Add(Increment(backend, shard, "likes"));
        }

        clock.Advance(Window);
        await Task.WhenAll(requests);

        var signal = Assert.Single(recorded.Signals);
        Assert.Equal(EntityAddress.Shard(first), signal.Target);
        Assert.Equal(20, ((AddIncrements)signal.Input!).IncrementCount);
    }

    [Fact]
    public async Task Once_the_signal_is_sent_or_full_the_choice_is_random_again()
    {
        var (backend, _) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window, ShardCount = 1024, MaxIncrementsPerSignal = 2 });
        var gathering = Increment(backend, 5, "likes");
        Assert.Equal(5, backend.ChooseShard());

        var filling = Increment(backend, 5, "likes");
        var afterFull = Enumerable.Range(0, 20).Select(_ => backend.ChooseShard()).ToList();
        await Task.WhenAll(gathering, filling);

        Assert.NotEqual([5], afterFull.Distinct());
        var reopened = Increment(backend, 7, "likes");
        Assert.Equal(7, backend.ChooseShard());
        clock.Advance(Window);
        await reopened;
        Assert.NotEqual([7], Enumerable.Range(0, 20).Select(_ => backend.ChooseShard()).Distinct());
    }

    [Fact]
    public void A_shard_beyond_a_lowered_shard_count_is_not_chosen()
    {
        var options = new CounterOptions { SignalCoalescingWindow = Window, ShardCount = 8 };
        var (backend, _) = Coalescing(options);
        _ = Increment(backend, 6, "likes");

        options.ShardCount = 4;

        Assert.All(Enumerable.Range(0, 50).Select(_ => backend.ChooseShard()), static shard => Assert.InRange(shard, 0, 3));
    }

    [Fact]
    public void With_coalescing_turned_off_while_a_signal_is_gathered_the_choice_is_random()
    {
        var options = new CounterOptions { SignalCoalescingWindow = Window, ShardCount = 1024 };
        var (backend, _) = Coalescing(options);
        _ = Increment(backend, 5, "likes");

        options.SignalCoalescingWindow = TimeSpan.Zero;

        Assert.True(Enumerable.Range(0, 20).Select(_ => backend.ChooseShard()).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Other_operations_pass_through_at_once()
    {
        var (backend, recorded) = Coalescing(new CounterOptions { SignalCoalescingWindow = Window });

        await backend.SignalAsync(EntityAddress.Shard(0), ShardOperations.Write, null, CancellationToken.None);

        Assert.Equal(ShardOperations.Write, Assert.Single(recorded.Signals).Operation);
    }

    private (CoalescingCounterBackend Backend, RecordingBackend Recorded) Coalescing(CounterOptions options)
    {
        var recorded = new RecordingBackend(options);
        return (new CoalescingCounterBackend(recorded, new SignalCoalescer(clock)), recorded);
    }

    private static Task Increment(ICounterBackend backend, int shard, string counter) =>
        backend.SignalAsync(EntityAddress.Shard(shard), ShardOperations.Add,
            new AddIncrements([new Increment(CounterKey.InDefaultTenant(counter), 1)]), CancellationToken.None);
}
