namespace Counter.Core.Tests;

/// <summary>Asserts the single effect of a step is of the expected kind and returns what it carries.</summary>
internal static class Effects
{
    public static ShardFlush SingleMerge<TState>(EntityStep<TState> step)
    {
        var signal = Assert.IsType<SignalEffect>(Assert.Single(step.Effects));
        Assert.Equal(EntityAddress.Global, signal.Target);
        Assert.Equal(GlobalOperations.Merge, signal.Operation);
        Assert.Null(signal.At);
        return Assert.IsType<ShardFlush>(signal.Input);
    }

    /// <summary>The single effect is a timer signal to the entity itself; returns its input and when it fires.</summary>
    public static (TInput Input, DateTimeOffset At) SingleTimer<TState, TInput>(EntityStep<TState> step, EntityContext context)
    {
        var signal = Assert.IsType<SignalEffect>(Assert.Single(step.Effects));
        Assert.Equal(context.Self, signal.Target);
        Assert.Equal(context.Self.Name == EntityAddress.ShardName ? ShardOperations.Tick : GlobalOperations.Tick, signal.Operation);
        Assert.NotNull(signal.At);
        return (Assert.IsType<TInput>(signal.Input), signal.At.Value);
    }

    public static SnapshotBatch SingleSnapshot<TState>(EntityStep<TState> step) =>
        Assert.IsType<SnapshotEffect>(Assert.Single(step.Effects)).Batch;
}
