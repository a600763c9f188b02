using Counter.Core;

namespace Counter.Api;

/// <summary>
/// The in-memory cache of single-counter reads (<see cref="CachedSnapshotStore"/>), bound from the configuration
/// section <see cref="SectionName"/> by every host. Read once, at start: the cache is built with them.
/// </summary>
public sealed class ReadCacheOptions
{
    public const string SectionName = "ReadCache";
    public const int MaxSizeLimit = 10_000_000;
    public static readonly TimeSpan MaxTimeToLive = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Counters (found or not) the cache holds at most, so that its memory is bounded whatever names clients ask for;
    /// 0 turns the cache off and every read goes to the snapshot store.
    /// </summary>
    public int SizeLimit { get; set; } = 100_000;

    /// <summary>
    /// How long a value read from the snapshot store is served without asking the store again: what a cached read may
    /// lag behind the store, for counters whose snapshots another process writes (this process's own writes update the
    /// cache at once). Bounded so that no setting makes reads stale for long.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with these options, each a sentence naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        OptionChecks.RequireRange(problems, SectionName, nameof(SizeLimit), SizeLimit, 0, MaxSizeLimit);
        OptionChecks.RequirePositive(problems, SectionName, nameof(TimeToLive), TimeToLive, MaxTimeToLive);
        return problems;
    }
}
