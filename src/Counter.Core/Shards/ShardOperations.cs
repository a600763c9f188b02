namespace Counter.Core;

/// <summary>
/// The rules of a shard entity. A shard buffers increments and hands them to the global entities when
/// <see cref="CounterOptions.ShardMinIncrementsToGlobal"/> increments for each global partition are buffered
/// (<see cref="IncrementsToFlush"/>), when the debounce timer armed by the first buffered increment fires
/// <see cref="CounterOptions.ShardWriteToGlobalAfter"/> later, or when asked to.
/// The timer is armed once per buffer rather than pushed back by every increment, so an increment waits at most
/// <see cref="CounterOptions.ShardWriteToGlobalAfter"/> even under a steady stream. A flush tells the global entity when
/// it was due, so that a timer that fired late, or a flush that waited in a queue, is not waited for twice.
/// </summary>
public static class ShardOperations
{
    public const string Add = "add";
    public const string Tick = "tick";
    public const string Write = "write";
    public const string Forget = "forget";

    /// <summary>
    /// How long a shard waits for a sender's missing add before it stops holding later ones apart from it, and remembers
    /// a sender it no longer hears from: longer than any redelivery after a crash (the Durable host's control-queue
    /// visibility timeout is at most an hour).
    /// </summary>
    public static readonly TimeSpan SenderMemory = TimeSpan.FromHours(2);

    public static EntityStep<ShardState> ApplyAdd(ShardState state, AddIncrements input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        if ((input is { Sender: { } sender, Sequence: { } sequence } && !FirstDelivery(state, sender, sequence, context.Now))
            || (input.IdempotencyKey is { } key && !FirstWithKey(state, key, input.KeyExpiresAt ?? context.Now, context.Now)))
        {
            state.DuplicateAdds++;
            return EntityStep<ShardState>.Unchanged(state);
        }

        foreach (var increment in input.Increments)
        {
            SaturatingMath.AddTo(state.Pending, increment.Counter, increment.Delta);
        }

        state.PendingIncrements += input.IncrementCount;
        if (state.Pending.Count == 0)
        {
            return EntityStep<ShardState>.Unchanged(state);
        }

        if (state.PendingIncrements >= IncrementsToFlush(context.Options))
        {
            return Flush(state, context);
        }

        if (state.FlushDueAt is { } armed)
        {
            // A timer that came due but is still behind other operations in the entity's queue (a backlog) is honoured
            // by the first operation after it, not by the tick that will arrive late.
            return armed <= context.Now ? Flush(state, context) : EntityStep<ShardState>.Unchanged(state);
        }

        var due = context.Now + context.Options.ShardWriteToGlobalAfter;
        state.FlushDueAt = due;
        return new(state, [new SignalEffect(context.Self, Tick, new FlushTick(state.NextSequence), due)]);
    }

    /// <summary>
    /// How many buffered increments make a shard flush: <see cref="CounterOptions.ShardMinIncrementsToGlobal"/> for each
    /// global partition. A flush splits the buffer into one merge for each partition, and what the threshold buys is that
    /// each merge (a signal to persist, an operation for a global entity to apply and commit, a step towards its next
    /// snapshot) carries that many increments: with the threshold alone, 16 partitions would get merges of a sixteenth
    /// of the increments, sixteen times as many of them for the same load. Counters spread evenly over the partitions
    /// give each merge about as many increments as one global entity's; the timer still bounds how long any waits.
    /// </summary>
    public static long IncrementsToFlush(CounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (long)options.ShardMinIncrementsToGlobal * options.GlobalPartitions;
    }

    /// <summary>False when an add of <paramref name="key"/> was applied and is still remembered; forgets expired keys.</summary>
    private static bool FirstWithKey(ShardState state, string key, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (state.IdempotencyKeys.TryGetValue(key, out var remembered) && remembered >= now)
        {
            return false;
        }

        foreach (var expired in state.IdempotencyKeys.Where(entry => entry.Value < now).Select(static entry => entry.Key).ToList())
        {
            state.IdempotencyKeys.Remove(expired);
        }

        state.IdempotencyKeys[key] = expiresAt;
        return true;
    }

    private static bool FirstDelivery(ShardState state, string sender, long sequence, DateTimeOffset now)
    {
        if (!state.Senders.TryGetValue(sender, out var progress))
        {
            ForgetQuietSenders(state, now);
            progress = new SenderProgress();
            state.Senders[sender] = progress;
        }

        progress.ForgetGapsOlderThan(SenderMemory, now);
        return progress.TryMarkApplied(sequence, now);
    }

    /// <summary>Senders are processes; each restart is a new one. Those not heard from in a long while go.</summary>
    private static void ForgetQuietSenders(ShardState state, DateTimeOffset now)
    {
        foreach (var (sender, progress) in state.Senders)
        {
            if (now - progress.LastSeen > SenderMemory)
            {
                state.Senders.Remove(sender);
            }
        }
    }

    /// <summary>
    /// A debounce timer fired. It is stale, and does nothing, when the flush it was armed for already happened. When
    /// the buffer it was armed for emptied without a flush (its counters were deleted and forgotten), the timer is
    /// over all the same, so that the next increment arms another: otherwise that increment would wait for a threshold
    /// that may never come.
    /// </summary>
    public static EntityStep<ShardState> ApplyTick(ShardState state, FlushTick input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Sequence != state.NextSequence)
        {
            return EntityStep<ShardState>.Unchanged(state);
        }

        if (state.Pending.Count > 0)
        {
            return Flush(state, context);
        }

        state.FlushDueAt = null;
        return EntityStep<ShardState>.Unchanged(state);
    }

    /// <summary>
    /// Drops what the buffer holds for deleted counters (<see cref="ForgetCounters.Counters"/>, or every counter of
    /// <see cref="ForgetCounters.Tenant"/>), so that a counter created again under the same name does not receive them.
    /// Their increments still count toward the flush threshold: they were taken.
    /// </summary>
    public static EntityStep<ShardState> ApplyForget(ShardState state, ForgetCounters input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        var forgotten = state.Pending.Keys
            .Where(counter => counter.Tenant == input.Tenant || (input.Counters?.Contains(counter) ?? false))
            .ToList();
        foreach (var counter in forgotten)
        {
            state.Pending.Remove(counter);
        }

        return EntityStep<ShardState>.Unchanged(state);
    }

    /// <summary>Flush now, whatever the threshold and the timer say.</summary>
    public static EntityStep<ShardState> ApplyWrite(ShardState state, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Pending.Count > 0 ? Flush(state, context) : EntityStep<ShardState>.Unchanged(state);
    }

    /// <summary>
    /// Hands the buffer to the global entities: one flush to each partition that holds any of its counters, with that
    /// partition's next sequence. The flush to the first of them carries the buffer's increment count, the others none,
    /// so that counts summed over partitions stay exact.
    /// </summary>
    private static EntityStep<ShardState> Flush(ShardState state, EntityContext context)
    {
        var partitions = context.Options.GlobalPartitions;
        var deltasByPartition = new List<Increment>?[partitions];
        foreach (var (counter, delta) in state.Pending)
        {
            (deltasByPartition[GlobalPartitions.Of(counter, partitions)] ??= []).Add(new Increment(counter, delta));
        }

        var signals = new List<EntityEffect>(partitions);
        var incrementCount = state.PendingIncrements;
        var dueAt = state.FlushDueAt is { } armed && armed < context.Now ? armed : context.Now;
        for (var partition = 0; partition < partitions; partition++)
        {
            if (deltasByPartition[partition] is not { } deltas)
            {
                continue;
            }

            var flush = new ShardFlush(context.Self.Key, TakeSequence(state, partition, partitions), incrementCount, deltas, dueAt);
            signals.Add(new SignalEffect(GlobalPartitions.Address(partition, partitions), GlobalOperations.Merge, flush));
            incrementCount = 0;
        }

        state.Pending.Clear();
        state.PendingIncrements = 0;
        state.NextSequence++;
        state.FlushDueAt = null;
        return new(state, signals);
    }

    private static long TakeSequence(ShardState state, int partition, int partitions)
    {
        if (partitions == 1)
        {
            return state.NextSequence;
        }

        var sequence = state.PartitionSequences.GetValueOrDefault(partition, 1);
        state.PartitionSequences[partition] = sequence + 1;
        return sequence;
    }
}
