using System.Diagnostics.Metrics;

namespace Counter.Server.Runtime;

/// <summary>The runtime's instruments, on the meter <see cref="MeterName"/>.</summary>
internal sealed class RuntimeMetrics
{
    public const string MeterName = "Counter.Runtime";

    private readonly Counter<long> signalsCommitted;
    private readonly Histogram<int> commitBatchSize;
    private readonly Counter<long> messagesProcessed;

    public RuntimeMetrics(IMeterFactory meterFactory, Func<long> pendingSignals, Func<int> outboxBacklog)
    {
        var meter = meterFactory.Create(MeterName);
        signalsCommitted = meter.CreateCounter<long>("counter.runtime.signals.committed", "{signal}", "Signals persisted by group commit.");
        commitBatchSize = meter.CreateHistogram<int>("counter.runtime.commit.batch_size", "{signal}", "Signals persisted per group-commit transaction.");
        messagesProcessed = meter.CreateCounter<long>("counter.runtime.messages.processed", "{message}", "Messages processed and committed by entities.");
        meter.CreateObservableGauge("counter.runtime.signals.pending", pendingSignals, "{signal}", "Accepted messages not processed yet.");
        meter.CreateObservableGauge("counter.runtime.outbox.backlog", outboxBacklog, "{snapshot}", "Snapshots waiting to be written to the snapshot store.");
    }

    public void SignalsCommitted(int count)
    {
        signalsCommitted.Add(count);
        commitBatchSize.Record(count);
    }

    public void MessagesProcessed(int count) => messagesProcessed.Add(count);
}
