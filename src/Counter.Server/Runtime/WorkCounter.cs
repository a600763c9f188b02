namespace Counter.Server.Runtime;

/// <summary>A count of outstanding work that can be awaited to reach zero.</summary>
internal sealed class WorkCounter
{
    private readonly Lock gate = new();
    private long count;
    private TaskCompletionSource? zero;

    public long Count => Interlocked.Read(ref count);

    public void Add(long amount)
    {
        TaskCompletionSource? reached = null;
        lock (gate)
        {
            count += amount;
            if (count == 0)
            {
                reached = zero;
                zero = null;
            }
        }

        reached?.TrySetResult();
    }

    /// <summary>Adds one unless that would go beyond <paramref name="limit"/>.</summary>
    public bool TryAddOne(long limit)
    {
        lock (gate)
        {
            if (count >= limit)
            {
                return false;
            }

            count++;
            return true;
        }
    }

    public Task WhenZeroAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (count == 0)
            {
                return Task.CompletedTask;
            }

            zero ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return zero.Task.WaitAsync(cancellationToken);
        }
    }
}
