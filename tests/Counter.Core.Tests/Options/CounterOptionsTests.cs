namespace Counter.Core.Tests.Options;

public sealed class CounterOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new CounterOptions();

        Assert.Equal(
            (4, 100, TimeSpan.FromSeconds(5), 100, TimeSpan.FromSeconds(5), "counters"),
            (options.ShardCount, options.ShardMinIncrementsToGlobal, options.ShardWriteToGlobalAfter,
                options.GlobalMinWritesToSnapshot, options.GlobalWriteToSnapshotAfter, options.KeyPrefix));
        Assert.Empty(options.Validate());
    }

    public static TheoryData<string, Action<CounterOptions>> OutOfRange => new()
    {
        { nameof(CounterOptions.ShardCount), options => options.ShardCount = 0 },
        { nameof(CounterOptions.ShardCount), options => options.ShardCount = CounterOptions.MaxShardCount + 1 },
        { nameof(CounterOptions.ShardMinIncrementsToGlobal), options => options.ShardMinIncrementsToGlobal = 0 },
        { nameof(CounterOptions.ShardMinIncrementsToGlobal), options => options.ShardMinIncrementsToGlobal = CounterOptions.MaxThreshold + 1 },
        { nameof(CounterOptions.GlobalMinWritesToSnapshot), options => options.GlobalMinWritesToSnapshot = -1 },
        { nameof(CounterOptions.GlobalMinWritesToSnapshot), options => options.GlobalMinWritesToSnapshot = CounterOptions.MaxThreshold + 1 },
        { nameof(CounterOptions.ShardWriteToGlobalAfter), options => options.ShardWriteToGlobalAfter = TimeSpan.Zero },
        { nameof(CounterOptions.ShardWriteToGlobalAfter), options => options.ShardWriteToGlobalAfter = CounterOptions.MaxDelay + TimeSpan.FromTicks(1) },
        { nameof(CounterOptions.GlobalWriteToSnapshotAfter), options => options.GlobalWriteToSnapshotAfter = TimeSpan.FromSeconds(-1) },
        { nameof(CounterOptions.GlobalWriteToSnapshotAfter), options => options.GlobalWriteToSnapshotAfter = TimeSpan.FromDays(1) },
        { nameof(CounterOptions.KeyPrefix), options => options.KeyPrefix = "" },
        { nameof(CounterOptions.KeyPrefix), options => options.KeyPrefix = new string('p', CounterOptions.MaxKeyPrefixLength + 1) },
        { nameof(CounterOptions.KeyPrefix), options => options.KeyPrefix = "with-dash" },
        { nameof(CounterOptions.KeyPrefix), options => options.KeyPrefix = "zähler" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void An_out_of_range_value_is_reported_naming_its_option(string option, Action<CounterOptions> breakIt)
    {
        var options = new CounterOptions();
        breakIt(options);

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith($"Counters:{option} ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_boundary_values_are_valid()
    {
        var options = new CounterOptions
        {
            ShardCount = CounterOptions.MaxShardCount,
            ShardMinIncrementsToGlobal = 1,
            GlobalMinWritesToSnapshot = CounterOptions.MaxThreshold,
            ShardWriteToGlobalAfter = CounterOptions.MaxDelay,
            GlobalWriteToSnapshotAfter = TimeSpan.FromTicks(1),
            KeyPrefix = new string('p', CounterOptions.MaxKeyPrefixLength),
        };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new CounterOptions { ShardCount = 0, GlobalWriteToSnapshotAfter = TimeSpan.Zero, KeyPrefix = "" };

        Assert.Equal(3, options.Validate().Count);
    }
}
