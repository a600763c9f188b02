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
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>How many shard entities new increments are spread over. May change at any time: shards beyond it still flush.</summary>
    public int ShardCount { get; set; } = 4;

    /// <summary>A shard hands its buffer to the global entity once it holds this many increments.</summary>
    public int ShardMinIncrementsToGlobal { get; set; } = 100;

    /// <summary>The longest an increment waits in a shard before it is handed to the global entity.</summary>
    public TimeSpan ShardWriteToGlobalAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The global entity writes a snapshot once this many shard flushes were merged since the last one.</summary>
    public int GlobalMinWritesToSnapshot { get; set; } = 100;

    /// <summary>The longest a merged change waits in the global entity before it is written to the snapshot store.</summary>
    public TimeSpan GlobalWriteToSnapshotAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Prefix of the snapshot store's partition keys (<c>{KeyPrefix}~{tenant}</c>).</summary>
    public string KeyPrefix { get; set; } = "counters";

    /// <summary>Every problem with these options, each a sentence naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        RequireRange(problems, nameof(ShardCount), ShardCount, 1, MaxShardCount);
        RequireRange(problems, nameof(ShardMinIncrementsToGlobal), ShardMinIncrementsToGlobal, 1, MaxThreshold);
        RequireRange(problems, nameof(GlobalMinWritesToSnapshot), GlobalMinWritesToSnapshot, 1, MaxThreshold);
        RequireDelay(problems, nameof(ShardWriteToGlobalAfter), ShardWriteToGlobalAfter);
        RequireDelay(problems, nameof(GlobalWriteToSnapshotAfter), GlobalWriteToSnapshotAfter);
        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > MaxKeyPrefixLength || !KeyPrefix.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"{SectionName}:{nameof(KeyPrefix)} must be 1 to {MaxKeyPrefixLength} ASCII letters or digits; it was '{KeyPrefix}'.");
        }

        return problems;
    }

    private static void RequireRange(List<string> problems, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{SectionName}:{name} must be between {min} and {max}; it was {value}.");
        }
    }

    private static void RequireDelay(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaxDelay)
        {
            problems.Add($"{SectionName}:{name} must be greater than 00:00:00 and at most {MaxDelay}; it was {value}.");
        }
    }
}
