using Counter.Storage;

namespace Counter.Server.Storage;

/// <summary>Where and how the host keeps its data, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string EntitiesFileName = "entities.db";
    public const string SnapshotsFileName = "counters.db";
    public const string TenantsFileName = "tenants.db";

    /// <summary>The folder of the SQLite files; created when missing.</summary>
    public string DataPath { get; set; } = "./data";

    /// <summary>Full survives power loss; Normal only a crash of the process, with fewer disk flushes (WAL).</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    public string EntitiesPath => Path.Combine(DataPath, EntitiesFileName);

    public string SnapshotsPath => Path.Combine(DataPath, SnapshotsFileName);

    public string TenantsPath => Path.Combine(DataPath, TenantsFileName);

    /// <summary>Every problem with these options, each a sentence naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataPath))
        {
            problems.Add($"{SectionName}:{nameof(DataPath)} must name a folder.");
        }
        else if (DataPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"{SectionName}:{nameof(DataPath)} contains characters not allowed in a path: '{DataPath}'.");
        }

        if (!Enum.IsDefined(Synchronous))
        {
            problems.Add($"{SectionName}:{nameof(Synchronous)} must be Full or Normal; it was {Synchronous}.");
        }

        return problems;
    }
}
