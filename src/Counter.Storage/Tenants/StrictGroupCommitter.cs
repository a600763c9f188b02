using System.Collections.Concurrent;
using Counter.Core;

namespace Counter.Storage;

/// <summary>
/// Group commit of strict batches, as the embedded runtime's GroupCommitter does for its writes: concurrent callers
/// queue their batches, and one writer at a time takes every batch waiting (up to <see cref="MaxGroupSize"/>) and
/// commits them in one transaction, so that durability costs one fsync per group rather than per batch while SQLite
/// has one writer per file anyway. The writer is a thread-pool work item, started by the batch that finds none running
/// and ending when the queue is empty, so that an idle store holds no thread and needs no disposing. Each caller
/// completes once its group is committed; a batch cancelled before its group is taken is dropped.
/// </summary>
internal sealed class StrictGroupCommitter(Action<IReadOnlyList<StrictGroupCommitter.Pending>> commitGroup)
{
    /// <summary>Bounds how long one transaction holds the file (and how many callers one failure fails).</summary>
    public const int MaxGroupSize = 256;

    private readonly ConcurrentQueue<Pending> waiting = new();
    private int writing;

    public Task<StrictApplied> ApplyAsync(StrictRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<StrictApplied>(cancellationToken);
        }

        var pending = new Pending(request, cancellationToken);
        waiting.Enqueue(pending);
        if (Interlocked.CompareExchange(ref writing, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static committer => committer.Write(), this, preferLocal: false);
        }

        return pending.Done.Task;
    }

    private void Write()
    {
        var group = new List<Pending>(MaxGroupSize);
        while (true)
        {
            group.Clear();
            while (group.Count < MaxGroupSize && waiting.TryDequeue(out var next))
            {
                if (next.CancellationToken.IsCancellationRequested)
                {
                    next.Done.TrySetCanceled(next.CancellationToken);
                }
                else
                {
                    group.Add(next);
                }
            }

            if (group.Count > 0)
            {
                Commit(group);
                continue;
            }

            // Exchange is a full fence: a batch queued after the last TryDequeue either sees no writer and starts one, or
            // is seen here, and this writer goes on unless the new one took over.
            Interlocked.Exchange(ref writing, 0);
            if (waiting.IsEmpty || Interlocked.CompareExchange(ref writing, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void Commit(List<Pending> group)
    {
        try
        {
            commitGroup(group);
        }
        catch (Exception failure)
        {
            group.ForEach(pending => pending.Done.TrySetException(failure));
            return;
        }

        group.ForEach(static pending => pending.Complete());
    }

    /// <summary>A queued batch; the group's commit records what it decided for it, which its caller gets once committed.</summary>
    internal sealed class Pending(StrictRequest request, CancellationToken cancellationToken)
    {
        private StrictApplied? applied;
        private Exception? failure;

        public StrictRequest Request => request;

        public CancellationToken CancellationToken => cancellationToken;

        public TaskCompletionSource<StrictApplied> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Decided(StrictApplied outcome) => applied = outcome;

        /// <summary>The batch failed alone (its changes undone), and fails its caller whatever the group does.</summary>
        public void Failed(Exception exception) => failure = exception;

        public void Complete()
        {
            if (applied is not null)
            {
                Done.TrySetResult(applied);
            }
            else
            {
                Done.TrySetException(failure ?? new InvalidOperationException("A batch was committed without being decided."));
            }
        }
    }
}
