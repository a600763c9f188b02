namespace Counter.Core;

/// <summary>
/// The tunables of counting, bound from the configuration section <see cref="SectionName"/> by both hosts.
/// The property names are a public contract (<c>Counters__ShardCount</c>, <c>--Counters:ShardCount</c>).
/// </summary>
public sealed class CounterOptions
{
    public const string SectionName = "Counters";
    public const int MaxShardCount = 1024;
    public const int MaxThreshold = 1_000_000;
    public const int MaxKeyPrefixLength = 32;
    public const int MaxIncrementsPerSignalLimit = 100_000;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxSignalCoalescingWindow = TimeSpan.FromSeconds(1);

    /// <summary>How many shard entities new increments are spread over. May change at any time: shards beyond it still flush.</summary>
    public int ShardCount { get; set; } = 4;

    /// <summary>
    /// A shard hands its buffer to the global entities once it holds this many increments for each global partition
    /// (<see cref="GlobalPartitions"/> times this many), so that each partition's merge carries about this many.
    /// </summary>
    public int ShardMinIncrementsToGlobal { get; set; } = 100;

    /// <summary>The longest an increment waits in a shard before it is handed to the global entity.</summary>
    public TimeSpan ShardWriteToGlobalAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A global entity writes a snapshot once it merged this many shard flushes for each global partition since its last
    /// one (<see cref="GlobalPartitions"/> times this many), so that the partitions together write about as many snapshots as one.
    /// </summary>
    public int GlobalMinWritesToSnapshot { get; set; } = 100;

    /// <summary>The longest a merged change waits in the global entity before it is written to the snapshot store.</summary>
    public TimeSpan GlobalWriteToSnapshotAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many global entities the totals are split over (1–256), each counter always in the same one. Read at start:
    /// a host refuses to start when totals were kept with another count (see <see cref="GlobalPartitions"/>).
    /// </summary>
    public int GlobalPartitions { get; set; } = 1;

    /// <summary>Prefix of the snapshot store's partition keys (<c>{KeyPrefix}~{tenant}</c>).</summary>
    public string KeyPrefix { get; set; } = "counters";

    /// <summary>
    /// Durable hosts: increments that arrive within this window are gathered per shard and sent as one signal (one queue
    /// message) instead of one each; every request is still answered only once that signal is enqueued. Zero turns it off.
    /// </summary>
    public TimeSpan SignalCoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Durable hosts: the most increments one coalesced signal carries; reaching it sends the signal at once.</summary>
    public int MaxIncrementsPerSignal { get; set; } = 500;

    /// <summary>Durable hosts: requests that may wait for a coalesced signal at once; past it, 503 with Retry-After.</summary>
    public int MaxCoalescingRequests { get; set; } = 10_000;

    /// <summary>Every problem with these options, each a sentence naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        OptionChecks.RequireRange(problems, SectionName, nameof(ShardCount), ShardCount, 1, MaxShardCount);
        OptionChecks.RequireRange(problems, SectionName, nameof(ShardMinIncrementsToGlobal), ShardMinIncrementsToGlobal, 1, MaxThreshold);
        OptionChecks.RequireRange(problems, SectionName, nameof(GlobalMinWritesToSnapshot), GlobalMinWritesToSnapshot, 1, MaxThreshold);
        OptionChecks.RequirePositive(problems, SectionName, nameof(ShardWriteToGlobalAfter), ShardWriteToGlobalAfter, MaxDelay);
        OptionChecks.RequireRange(problems, SectionName, nameof(GlobalPartitions), GlobalPartitions, 1, Core.GlobalPartitions.Max);
        OptionChecks.RequirePositive(problems, SectionName, nameof(GlobalWriteToSnapshotAfter), GlobalWriteToSnapshotAfter, MaxDelay);
        if (SignalCoalescingWindow < TimeSpan.Zero || SignalCoalescingWindow > MaxSignalCoalescingWindow)
        {
            problems.Add($"{SectionName}:{nameof(SignalCoalescingWindow)} must be between 00:00:00 (off) and {MaxSignalCoalescingWindow}; it was {SignalCoalescingWindow}.");
        }

        OptionChecks.RequireRange(problems, SectionName, nameof(MaxIncrementsPerSignal), MaxIncrementsPerSignal, 1, MaxIncrementsPerSignalLimit);
        OptionChecks.RequireRange(problems, SectionName, nameof(MaxCoalescingRequests), MaxCoalescingRequests, 1, 1_000_000);
        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > MaxKeyPrefixLength || !KeyPrefix.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{SectionName}:{nameof(KeyPrefix)} must be 1 to {MaxKeyPrefixLength} ASCII letters or digits; it was '{KeyPrefix}'.");
        }

        return problems;
    }
}
