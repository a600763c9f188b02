using System.Text.RegularExpressions;
using Counter.Core;

namespace Counter.DurableHost.TaskHub;

/// <summary>Where and how the task hub runs, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed partial class DurableOptions
{
    public const string SectionName = "Durable";
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";
    public const int MaxPartitionCount = 16;

    /// <summary>
    /// The storage account of the task hub's queues, tables and blobs: a connection string (<c>UseDevelopmentStorage=true</c>
    /// for Azurite, or <c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…</c>), or only the account name, which is then
    /// authorized with DefaultAzureCredential (a managed identity in Azure).
    /// </summary>
    public string StorageConnection { get; set; } = DevelopmentStorage;

    /// <summary>The task hub's name: every process with the same account and name shares the same entities.</summary>
    public string TaskHub { get; set; } = "counter";

    /// <summary>
    /// Control queues the hub's entities are spread over (1–16), leased among the processes: at most this many processes
    /// run entities at once. Fixed when the hub is created; changing it later needs a new task hub. One process on Azurite
    /// took single increments no faster with 1 than with 4 (bench/README.md), so the default leaves room for four.
    /// </summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// The longest an idle queue goes unpolled. The backend backs off up to 30 s by default, which would hold a quiet hub's
    /// next signal (and the read path's lag) that long; 1 s keeps the lag within the debounces plus about a second.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Control-queue messages this process takes into memory ahead of the entities that will apply them (1–10,000); the
    /// backend's default, 64. Once that many wait, the backend stops fetching from every control queue for a second, so
    /// under a burst messages wait 1–5 s at each hop. On Azurite 1,000 brought the read-path lag under a burst from
    /// ~20 s to 13–15 s (p99), but cut single increments accepted 3.5-fold (2,500/s to 700/s), the entities' fetches
    /// and deletes then taking the emulator's one thread from the enqueues that answer requests (bench/README.md).
    /// Against Azure Storage, whose queues do not share one thread, a higher value is worth trying.
    /// </summary>
    public int ControlQueueBufferThreshold { get; set; } = 64;

    /// <summary>
    /// How long a control-queue message taken by a process stays invisible to the others: after a process dies, what it
    /// had taken is delivered again once this passes. The backend's default.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether an entity stays loaded in this process between its batches for <see cref="ExtendedSessionIdleTimeout"/>,
    /// so that its next batch does not read its history and state back from storage first. Every batch is still written
    /// to storage before its messages are deleted, so a process that dies loses nothing it acknowledged. Off: measured on
    /// Azurite, it applied increments no faster and spared Azurite no CPU (bench/README.md), so it is not worth the
    /// memory of the states it keeps.
    /// </summary>
    public bool ExtendedSessionsEnabled { get; set; }

    /// <summary>How long an entity in an extended session waits for its next message before it is unloaded.</summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This process's name in the hub's partition leases; unique per process unless set. A process restarted under the
    /// same name takes its partitions back at once instead of waiting for their leases to expire.
    /// </summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>True when <see cref="StorageConnection"/> names an account rather than giving a connection string.</summary>
    public bool IsAccountName => AccountNamePattern().IsMatch(StorageConnection ?? "");

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(StorageConnection))
        {
            problems.Add($"{SectionName}:{nameof(StorageConnection)} is required: a storage connection string (e.g. '{DevelopmentStorage}') or an account name.");
        }
        else if (!IsAccountName && StorageConnections.ProblemWith(StorageConnection) is { } problem)
        {
            problems.Add($"{SectionName}:{nameof(StorageConnection)} is neither an account name (3 to 24 lowercase letters or digits) nor a valid connection string: {problem}");
        }

        if (!TaskHubPattern().IsMatch(TaskHub ?? ""))
        {
            problems.Add($"{SectionName}:{nameof(TaskHub)} must be 3 to 45 ASCII letters or digits starting with a letter; it was '{TaskHub}'.");
        }

        OptionChecks.RequireRange(problems, SectionName, nameof(PartitionCount), PartitionCount, 1, MaxPartitionCount);
        OptionChecks.RequirePositive(problems, SectionName, nameof(MaxQueuePollingInterval), MaxQueuePollingInterval, TimeSpan.FromMinutes(1));
        OptionChecks.RequireRange(problems, SectionName, nameof(ControlQueueBufferThreshold), ControlQueueBufferThreshold, 1, 10_000);
        OptionChecks.RequirePositive(problems, SectionName, nameof(ControlQueueVisibilityTimeout), ControlQueueVisibilityTimeout, TimeSpan.FromHours(1));
        OptionChecks.RequirePositive(problems, SectionName, nameof(ExtendedSessionIdleTimeout), ExtendedSessionIdleTimeout, TimeSpan.FromMinutes(10));
        if (string.IsNullOrWhiteSpace(WorkerId))
        {
            problems.Add($"{SectionName}:{nameof(WorkerId)} must not be empty.");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex TaskHubPattern();
}
