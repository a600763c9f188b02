using Counter.Core;

namespace Counter.Storage.Tests.Tenants;

/// <summary>The group commit under SQLite's strict counters, with a commit that the test holds and releases.</summary>
public sealed class StrictGroupCommitterTests : IDisposable
{
    private readonly List<string[]> groups = [];
    private readonly SemaphoreSlim started = new(0);
    private readonly ManualResetEventSlim release = new();
    private Exception? failure;

    [Fact]
    public async Task Batches_queued_while_a_group_commits_are_committed_together_next_in_the_order_queued()
    {
        var committer = new StrictGroupCommitter(Commit);
        var first = committer.ApplyAsync(Request("c0"), CancellationToken.None);
        await started.WaitAsync();

        var rest = Enumerable.Range(1, 10).Select(index => committer.ApplyAsync(Request($"c{index}"), CancellationToken.None)).ToList();
        release.Set();
        await Task.WhenAll(rest.Prepend(first));

        Assert.Equal([["c0"], [.. Enumerable.Range(1, 10).Select(index => $"c{index}")]], groups);
        Assert.Equal("c10", (await rest[^1]).Replayed!.Key);
    }

    [Fact]
    public async Task A_group_whose_commit_fails_fails_each_of_its_callers_and_the_next_group_commits()
    {
        var committer = new StrictGroupCommitter(Commit);
        failure = new InvalidOperationException("disk on fire");
        var first = committer.ApplyAsync(Request("c0"), CancellationToken.None);
        await started.WaitAsync();
        var second = committer.ApplyAsync(Request("c1"), CancellationToken.None);
        var third = committer.ApplyAsync(Request("c2"), CancellationToken.None);
        release.Set();

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => first));
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => second));
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => third));
        failure = null;
        Assert.Equal("c3", (await committer.ApplyAsync(Request("c3"), CancellationToken.None)).Replayed!.Key);
    }

    [Fact]
    public async Task A_batch_cancelled_before_its_group_is_taken_is_dropped()
    {
        var committer = new StrictGroupCommitter(Commit);
        var first = committer.ApplyAsync(Request("c0"), CancellationToken.None);
        await started.WaitAsync();
        using var cancellation = new CancellationTokenSource();
        var cancelled = committer.ApplyAsync(Request("c1"), cancellation.Token);
        var kept = committer.ApplyAsync(Request("c2"), CancellationToken.None);

        await cancellation.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Task.WhenAll(first, kept);
        Assert.Equal([["c0"], ["c2"]], groups);
    }

    public void Dispose()
    {
        started.Dispose();
        release.Dispose();
    }

    private static StrictRequest Request(string counter) => StrictRequest.Check("acme", [new CounterOperation(OperationKind.Get, counter)], null);

    /// <summary>Records the group, waits for the test's release, then answers each batch with a record naming its counter.</summary>
    private void Commit(IReadOnlyList<StrictGroupCommitter.Pending> group)
    {
        lock (groups)
        {
            groups.Add([.. group.Select(pending => pending.Request.Counters[0])]);
        }

        started.Release();
        release.Wait();
        if (failure is not null)
        {
            throw failure;
        }

        foreach (var pending in group)
        {
            pending.Decided(new StrictApplied(null, new IdempotencyRecord("acme", pending.Request.Counters[0], "", 200, "", DateTimeOffset.UnixEpoch)));
        }
    }
}
