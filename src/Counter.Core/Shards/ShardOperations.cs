namespace Counter.Core;

/// <summary>
/// The rules of a shard entity. A shard buffers increments and hands them to the global entity when
/// <see cref="CounterOptions.ShardMinIncrementsToGlobal"/> increments are buffered, when the debounce timer armed by the
/// first buffered increment fires <see cref="CounterOptions.ShardWriteToGlobalAfter"/> later, or when asked to.
/// The timer is armed once per buffer rather than pushed back by every increment, so an increment waits at most
/// <see cref="CounterOptions.ShardWriteToGlobalAfter"/> even under a steady stream.
/// </summary>
public static class ShardOperations
{
    public const string Add = "add";
    public const string Tick = "tick";
    public const string Write = "write";

    public static EntityStep<ShardState> ApplyAdd(ShardState state, AddIncrements input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        foreach (var increment in input.Increments)
        {
            SaturatingMath.AddTo(state.Pending, increment.Counter, increment.Delta);
        }

        state.PendingIncrements += input.IncrementCount;
        if (state.Pending.Count == 0)
        {
            return EntityStep<ShardState>.Unchanged(state);
        }

        if (state.PendingIncrements >= context.Options.ShardMinIncrementsToGlobal)
        {
            return Flush(state, context);
        }

        if (state.FlushDueAt is not null)
        {
            return EntityStep<ShardState>.Unchanged(state);
        }

        var due = context.Now + context.Options.ShardWriteToGlobalAfter;
        state.FlushDueAt = due;
        return new(state, [new SignalEffect(context.Self, Tick, new FlushTick(state.NextSequence), due)]);
    }

    /// <summary>A debounce timer fired. It is stale, and does nothing, when the flush it was armed for already happened.</summary>
    public static EntityStep<ShardState> ApplyTick(ShardState state, FlushTick input, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        return input.Sequence == state.NextSequence && state.Pending.Count > 0
            ? Flush(state, context)
            : EntityStep<ShardState>.Unchanged(state);
    }

    /// <summary>Flush now, whatever the threshold and the timer say.</summary>
    public static EntityStep<ShardState> ApplyWrite(ShardState state, EntityContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Pending.Count > 0 ? Flush(state, context) : EntityStep<ShardState>.Unchanged(state);
    }

    private static EntityStep<ShardState> Flush(ShardState state, EntityContext context)
    {
        var deltas = new Increment[state.Pending.Count];
        var index = 0;
        foreach (var (counter, delta) in state.Pending)
        {
            deltas[index++] = new Increment(counter, delta);
        }

        var flush = new ShardFlush(context.Self.Key, state.NextSequence, state.PendingIncrements, deltas);
        state.Pending.Clear();
        state.PendingIncrements = 0;
        state.NextSequence++;
        state.FlushDueAt = null;
        return new(state, [new SignalEffect(EntityAddress.Global, GlobalOperations.Merge, flush)]);
    }
}
