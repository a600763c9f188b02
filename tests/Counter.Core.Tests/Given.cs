namespace Counter.Core.Tests;

/// <summary>Builds what the operations are given. There is no clock: every test names the times it runs at.</summary>
internal static class Given
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static CounterOptions Options(
        int shardCount = 4,
        int shardMinIncrements = 100,
        int shardDelaySeconds = 5,
        int globalMinWrites = 100,
        int globalDelaySeconds = 5) => new()
    {
        ShardCount = shardCount,
        ShardMinIncrementsToGlobal = shardMinIncrements,
        ShardWriteToGlobalAfter = TimeSpan.FromSeconds(shardDelaySeconds),
        GlobalMinWritesToSnapshot = globalMinWrites,
        GlobalWriteToSnapshotAfter = TimeSpan.FromSeconds(globalDelaySeconds),
    };

    public static EntityContext Shard(int index, CounterOptions options, DateTimeOffset now) =>
        new(EntityAddress.Shard(index), options, now);

    public static EntityContext Global(CounterOptions options, DateTimeOffset now) =>
        new(EntityAddress.Global, options, now);

    public static CounterKey Key(string name) => CounterKey.InDefaultTenant(name);

    public static AddIncrements Add(params (string Counter, long Delta)[] increments) =>
        new([.. increments.Select(increment => new Increment(Key(increment.Counter), increment.Delta))]);

    public static ShardFlush Flush(string shard, long sequence, params (string Counter, long Delta)[] deltas) =>
        new(shard, sequence, deltas.Length, [.. deltas.Select(delta => new Increment(Key(delta.Counter), delta.Delta))]);

    public static DateTimeOffset At(double seconds) => Start.AddSeconds(seconds);
}
