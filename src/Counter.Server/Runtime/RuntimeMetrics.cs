using System.Diagnostics.Metrics;

namespace Counter.Server.Runtime;

/// <summary>The runtime's instruments, on the meter <see cref="MeterName"/>.</summary>
internal sealed class RuntimeMetrics
{
    public const string MeterName = "Counter.Runtime";
    private const string EntitiesStore = "entities";
    private const string SnapshotsStore = "snapshots";

    private readonly Counter<long> signalsCommitted;
    private readonly Histogram<int> commitBatchSize;
    private readonly Counter<long> messagesProcessed;
    private readonly Counter<long> storageTransactions;
    private readonly Counter<long> snapshotRows;

    public RuntimeMetrics(IMeterFactory meterFactory, Func<long> pendingSignals, Func<int> outboxBacklog)
    {
        var meter = meterFactory.Create(MeterName);
        signalsCommitted = meter.CreateCounter<long>("counter.runtime.signals.committed", "{signal}", "Signals persisted by group commit.");
        commitBatchSize = meter.CreateHistogram<int>("counter.runtime.commit.batch_size", "{signal}", "Signals persisted per group-commit transaction.");
        messagesProcessed = meter.CreateCounter<long>("counter.runtime.messages.processed", "{message}", "Messages processed and committed by entities.");
        storageTransactions = meter.CreateCounter<long>("counter.runtime.storage.transactions", "{transaction}", "Transactions committed to the entity store or the snapshot store.");
        snapshotRows = meter.CreateCounter<long>("counter.runtime.snapshot.rows", "{row}", "Snapshot rows written to the snapshot store.");
        meter.CreateObservableGauge("counter.runtime.signals.pending", pendingSignals, "{signal}", "Accepted messages not processed yet.");
        meter.CreateObservableGauge("counter.runtime.outbox.backlog", outboxBacklog, "{snapshot}", "Snapshots waiting to be written to the snapshot store.");
    }

    /// <summary>One group commit: its signals and the entity batches that waited with them, in one entity-store transaction.</summary>
    public void GroupCommitted(int signals)
    {
        signalsCommitted.Add(signals);
        commitBatchSize.Record(signals);
        StorageTransaction(EntitiesStore);
    }

    public void MessagesProcessed(int count) => messagesProcessed.Add(count);

    /// <summary>A snapshot written to the snapshot store in one transaction.</summary>
    public void SnapshotWritten(int rows)
    {
        snapshotRows.Add(rows);
        StorageTransaction(SnapshotsStore);
    }

    /// <summary>A delivered snapshot removed from the outbox, in one entity-store transaction.</summary>
    public void OutboxEntryDeleted() => StorageTransaction(EntitiesStore);

    private void StorageTransaction(string store) => storageTransactions.Add(1, new KeyValuePair<string, object?>("store", store));
}
