namespace Counter.Core;

/// <summary>
/// The rules of the global entity. It merges each shard flush exactly once (flushes are delivered at least once and
/// possibly out of order), keeps the totals, and emits a snapshot of the changed counters after
/// <see cref="MergesToSnapshot"/> merges, or <see cref="CounterOptions.GlobalWriteToSnapshotAfter"/>
/// after the first change that the snapshot store has not seen, whichever comes first. That debounce counts from when
/// the change's flush was due, not from when the merge arrived (see <see cref="ShortestSnapshotWait"/>).
/// </summary>
public static class GlobalOperations
{
    public const string Merge = "merge";
    public const string Tick = "tick";
    public const string Reset = "reset";
    public const string Write = "write";
    public const string Resnapshot = "resnapshot";
    public const string Create = "create";
    public const string Set = "set";
    public const string Delete = "delete";
    public const string DeleteTenant = "deleteTenant";

    /// <summary>
    /// How long the global entity remembers a deleted counter or tenant, dropping the deltas of late flushes for it.
    /// A flush is late by the shard's debounce, or by a host's outage while it is retried: a day covers both.
    /// </summary>
    public static readonly TimeSpan DeletionMemory = TimeSpan.FromHours(24);

    public static EntityStep<GlobalState> ApplyMerge(GlobalState state, ShardFlush flush, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(flush);
        state.Partitions = context.Options.GlobalPartitions;
        var progress = ProgressOf(state, flush.Shard);
        if (!TryMarkApplied(progress, flush.Sequence))
        {
            state.DuplicateFlushes++;
            return EntityStep<GlobalState>.Unchanged(state);
        }

        foreach (var (counter, delta) in flush.Deltas)
        {
            if (WasDeleted(state, counter))
            {
                state.DroppedDeltas++;
                continue;
            }

            SaturatingMath.AddTo(state.Totals, counter, delta);
            MarkDirty(state, counter);
        }

        progress.Merges++;
        progress.Increments += flush.IncrementCount;
        Record(state, new MergeRecord(flush.Shard, flush.Sequence, flush.Deltas.Count, flush.IncrementCount, context.Now), context.Options.GlobalPartitions);
        state.MergesSinceSnapshot++;
        if (state.MergesSinceSnapshot >= MergesToSnapshot(context.Options) || state.SnapshotDueAt <= context.Now)
        {
            // The second: the armed timer came due while this merge waited in the entity's queue; its tick is behind it.
            return Snapshot(state, context);
        }

        var flushDue = flush.DueAt is { } due && due < context.Now ? due : context.Now;
        return ArmTimerIfDirty(state, context, flushDue + context.Options.GlobalWriteToSnapshotAfter);
    }

    /// <summary>
    /// The shortest a change waits for its snapshot: a fifth of <see cref="CounterOptions.GlobalWriteToSnapshotAfter"/>.
    /// A merge's debounce counts from when its flush was due, so a merge that waited in a queue does not wait a full
    /// debounce again; but under a backlog longer than the debounce every merge would then arrive overdue and make a
    /// snapshot of its own, more writes for a store that is already behind. With this floor a global entity writes at
    /// most one snapshot in that time (or one per <see cref="MergesToSnapshot"/> merges), and moves an armed timer
    /// earlier only by more than it.
    /// </summary>
    public static TimeSpan ShortestSnapshotWait(CounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.GlobalWriteToSnapshotAfter / 5;
    }

    /// <summary>
    /// How many merges make a global entity snapshot: <see cref="CounterOptions.GlobalMinWritesToSnapshot"/> for each
    /// global partition. A shard flush reaches every partition that has counters in it, so N partitions each merge about
    /// as many flushes as one global entity would; with the threshold alone they would write N snapshots (N store
    /// transactions of a Nth of the rows) where one writes one. The timer still bounds how long a change waits.
    /// </summary>
    public static long MergesToSnapshot(CounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (long)options.GlobalMinWritesToSnapshot * options.GlobalPartitions;
    }

    /// <summary>A debounce timer fired. It is stale, and does nothing, when the snapshot it was armed for already happened.</summary>
    public static EntityStep<GlobalState> ApplyTick(GlobalState state, SnapshotTick input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        state.Partitions = context.Options.GlobalPartitions;
        return input.Version == state.SnapshotVersion + 1 && state.Dirty.Count > 0
            ? Snapshot(state, context)
            : EntityStep<GlobalState>.Unchanged(state);
    }

    /// <summary>Sets a counter to zero and snapshots at once. Increments still buffered in shards add to the zero later.</summary>
    public static EntityStep<GlobalState> ApplyReset(GlobalState state, ResetCounter input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ApplySet(state, new SetCounter(input.Counter, 0), context);
    }

    /// <summary>
    /// Sets a sharded counter's total and snapshots at once. Increments still buffered in shards at that moment, or on
    /// their way to them, add to the value set when they arrive: a set is the total's value as of the set, not a freeze.
    /// </summary>
    public static EntityStep<GlobalState> ApplySet(GlobalState state, SetCounter input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        state.Partitions = context.Options.GlobalPartitions;
        state.Totals[input.Counter] = input.Value;
        MarkDirty(state, input.Counter);
        return Snapshot(state, context);
    }

    /// <summary>
    /// A counter was created in a tenant: its total starts at the initial value and is snapshotted at once. Deltas of a
    /// flush that overtook the creation (signals from different senders are not ordered) are kept on top of it.
    /// </summary>
    public static EntityStep<GlobalState> ApplyCreate(GlobalState state, CreateCounter input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        state.Partitions = context.Options.GlobalPartitions;
        ForgetOldDeletions(state, context.Now);
        state.Removed.Remove(input.Counter);
        var overtaking = state.DeletedCounters.Remove(input.Counter) ? 0 : state.Totals.GetValueOrDefault(input.Counter);
        state.Totals[input.Counter] = SaturatingMath.Add(input.InitialValue, overtaking);
        MarkDirty(state, input.Counter);
        return Snapshot(state, context);
    }

    /// <summary>
    /// A counter was deleted: its total goes, its snapshot row goes with the next snapshot (now), and deltas that still
    /// arrive for it from shards are dropped for <see cref="DeletionMemory"/>, unless it is created again.
    /// </summary>
    public static EntityStep<GlobalState> ApplyDelete(GlobalState state, DeleteCounter input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        state.Partitions = context.Options.GlobalPartitions;
        ForgetOldDeletions(state, context.Now);
        state.DeletedCounters[input.Counter] = context.Now;
        Remove(state, input.Counter);
        return Snapshot(state, context);
    }

    /// <summary>
    /// A tenant was deleted: every total of it goes, with its snapshot rows, and deltas that still arrive for a counter
    /// of it are dropped for <see cref="DeletionMemory"/>, except for counters created in it again since.
    /// </summary>
    public static EntityStep<GlobalState> ApplyDeleteTenant(GlobalState state, DeleteTenant input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        state.Partitions = context.Options.GlobalPartitions;
        ForgetOldDeletions(state, context.Now);
        state.DeletedTenants[input.Tenant] = context.Now;
        foreach (var counter in state.DeletedCounters.Keys.Where(counter => counter.Tenant == input.Tenant).ToList())
        {
            state.DeletedCounters.Remove(counter);
        }

        foreach (var counter in state.Totals.Keys.Where(counter => counter.Tenant == input.Tenant).ToList())
        {
            Remove(state, counter);
        }

        return Snapshot(state, context);
    }

    /// <summary>Snapshot whatever changed, now.</summary>
    public static EntityStep<GlobalState> ApplyWrite(GlobalState state, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Partitions = context.Options.GlobalPartitions;
        return state.Dirty.Count > 0 ? Snapshot(state, context) : EntityStep<GlobalState>.Unchanged(state);
    }

    /// <summary>Marks known counters changed again, so the next snapshot writes them (for hosts whose snapshot write failed).</summary>
    public static EntityStep<GlobalState> ApplyResnapshot(GlobalState state, ResnapshotCounters input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        state.Partitions = context.Options.GlobalPartitions;
        foreach (var counter in input.Counters)
        {
            if (state.Totals.ContainsKey(counter))
            {
                MarkDirty(state, counter);
            }
        }

        return ArmTimerIfDirty(state, context, context.Now + context.Options.GlobalWriteToSnapshotAfter);
    }

    /// <summary>
    /// A counter deleted on its own, or a counter of a deleted tenant that was not created again (creation puts its
    /// total back, so a total means the counter exists).
    /// </summary>
    private static bool WasDeleted(GlobalState state, CounterKey counter) =>
        (state.DeletedCounters.Count > 0 && state.DeletedCounters.ContainsKey(counter))
        || (state.DeletedTenants.Count > 0 && state.DeletedTenants.ContainsKey(counter.Tenant) && !state.Totals.ContainsKey(counter));

    private static void Remove(GlobalState state, CounterKey counter)
    {
        state.Totals.Remove(counter);
        state.Dirty.Remove(counter);
        state.Changed.Add(counter);
        state.Removed.Add(counter);
    }

    private static void ForgetOldDeletions(GlobalState state, DateTimeOffset now)
    {
        var forgetBefore = now - DeletionMemory;
        foreach (var counter in state.DeletedCounters.Where(deleted => deleted.Value < forgetBefore).Select(static deleted => deleted.Key).ToList())
        {
            state.DeletedCounters.Remove(counter);
        }

        foreach (var tenant in state.DeletedTenants.Where(deleted => deleted.Value < forgetBefore).Select(static deleted => deleted.Key).ToList())
        {
            state.DeletedTenants.Remove(tenant);
        }
    }

    private static void MarkDirty(GlobalState state, CounterKey counter)
    {
        state.Dirty.Add(counter);
        state.Changed.Add(counter);
    }

    private static ShardProgress ProgressOf(GlobalState state, string shard)
    {
        if (!state.Shards.TryGetValue(shard, out var progress))
        {
            progress = new ShardProgress();
            state.Shards[shard] = progress;
        }

        return progress;
    }

    /// <summary>False when <paramref name="sequence"/> was applied before.</summary>
    private static bool TryMarkApplied(ShardProgress progress, long sequence)
    {
        if (sequence <= progress.AppliedThrough)
        {
            return false;
        }

        var position = progress.AppliedAhead.BinarySearch(sequence);
        if (position >= 0)
        {
            return false;
        }

        progress.AppliedAhead.Insert(~position, sequence);
        var contiguous = 0;
        while (contiguous < progress.AppliedAhead.Count && progress.AppliedAhead[contiguous] == progress.AppliedThrough + 1)
        {
            progress.AppliedThrough++;
            contiguous++;
        }

        progress.AppliedAhead.RemoveRange(0, contiguous);
        return true;
    }

    private static void Record(GlobalState state, MergeRecord merge, int partitions)
    {
        var limit = GlobalState.RecentMergeLimitOf(partitions);
        if (state.RecentMerges.Count >= limit)
        {
            state.RecentMerges.RemoveRange(0, state.RecentMerges.Count - limit + 1);
        }

        state.RecentMerges.Add(merge);
    }

    /// <summary>
    /// Arms the snapshot timer for <paramref name="wanted"/>, or no sooner than <see cref="ShortestSnapshotWait"/> from
    /// now; a timer already armed stays unless that is earlier by more than the same. The tick armed before still
    /// arrives, and finds its snapshot done.
    /// </summary>
    private static EntityStep<GlobalState> ArmTimerIfDirty(GlobalState state, EntityContext context, DateTimeOffset wanted)
    {
        if (state.Dirty.Count == 0)
        {
            return EntityStep<GlobalState>.Unchanged(state);
        }

        var shortest = ShortestSnapshotWait(context.Options);
        var due = wanted > context.Now + shortest ? wanted : context.Now + shortest;
        if (state.SnapshotDueAt is { } armed && armed - due <= shortest)
        {
            return EntityStep<GlobalState>.Unchanged(state);
        }

        state.SnapshotDueAt = due;
        return new(state, [new SignalEffect(context.Self, Tick, new SnapshotTick(state.SnapshotVersion + 1), due)]);
    }

    private static EntityStep<GlobalState> Snapshot(GlobalState state, EntityContext context)
    {
        var version = ++state.SnapshotVersion;
        var rows = new SnapshotRow[state.Dirty.Count];
        var index = 0;
        foreach (var counter in state.Dirty)
        {
            rows[index++] = new SnapshotRow(counter, state.Totals[counter], version, context.Now);
        }

        // Ordered so that hosts can group rows by tenant (one Table Storage partition) without sorting again.
        Array.Sort(rows, static (left, right) => left.Counter.CompareTo(right.Counter));
        CounterKey[]? removed = state.Removed.Count > 0 ? [.. state.Removed] : null;
        state.Dirty.Clear();
        state.Removed.Clear();
        state.MergesSinceSnapshot = 0;
        state.SnapshotDueAt = null;
        return new(state, [new SnapshotEffect(new SnapshotBatch(version, context.Now, rows, removed))]);
    }
}
