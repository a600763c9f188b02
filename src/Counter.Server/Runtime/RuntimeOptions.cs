using Counter.Core;

namespace Counter.Server.Runtime;

/// <summary>Tunables of the embedded entity runtime, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Runtime";

    public static readonly TimeSpan MaxGlobalBatchWindow = TimeSpan.FromSeconds(1);

    /// <summary>Accepted signals not yet processed; beyond it, new requests are refused with 503 and Retry-After instead of growing memory.</summary>
    public int MaxPendingSignals { get; set; } = 100_000;

    /// <summary>Most signals persisted in one group-commit transaction.</summary>
    public int MaxSignalsPerCommit { get; set; } = 1_000;

    /// <summary>Most queued operations an entity processes, and commits, as one batch.</summary>
    public int MaxOperationsPerBatch { get; set; } = 1_000;

    /// <summary>
    /// How long a global entity lets shard flushes gather in its queue before it takes them as one batch (unless its last
    /// batch was full); zero takes each batch at once. Every batch costs its state and totals written and a member of a
    /// group commit, and a flush reaches every global partition with counters in it: without the window, N partitions
    /// pay that up to N times per flush where one global entity pays it once. So it applies with several global
    /// partitions only: one global entity has nothing to gather, and the wait only held its merges in memory longer
    /// (~10 MB more peak RSS under a burst). Shards do not wait: their batches would grow, and with them the memory a
    /// burst over many counters takes (bench/README.md).
    /// </summary>
    public TimeSpan GlobalBatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long an overloaded host asks clients to wait before retrying.</summary>
    public TimeSpan OverloadRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a failed write (to the snapshot store, or of an entity batch); doubles with each further failure.</summary>
    public TimeSpan RetryMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries of a failed write.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Every problem with these options, each a sentence naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        OptionChecks.RequireRange(problems, SectionName, nameof(MaxPendingSignals), MaxPendingSignals, 1, 100_000_000);
        OptionChecks.RequireRange(problems, SectionName, nameof(MaxSignalsPerCommit), MaxSignalsPerCommit, 1, 100_000);
        OptionChecks.RequireRange(problems, SectionName, nameof(MaxOperationsPerBatch), MaxOperationsPerBatch, 1, 100_000);
        if (GlobalBatchWindow < TimeSpan.Zero || GlobalBatchWindow > MaxGlobalBatchWindow)
        {
            problems.Add($"{SectionName}:{nameof(GlobalBatchWindow)} must be between 00:00:00 (off) and {MaxGlobalBatchWindow}; it was {GlobalBatchWindow}.");
        }

        OptionChecks.RequirePositive(problems, SectionName, nameof(OverloadRetryAfter), OverloadRetryAfter);
        OptionChecks.RequirePositive(problems, SectionName, nameof(RetryMinDelay), RetryMinDelay);
        OptionChecks.RequirePositive(problems, SectionName, nameof(RetryMaxDelay), RetryMaxDelay);
        if (RetryMaxDelay < RetryMinDelay)
        {
            problems.Add($"{SectionName}:{nameof(RetryMaxDelay)} must not be less than {nameof(RetryMinDelay)}.");
        }

        return problems;
    }
}
