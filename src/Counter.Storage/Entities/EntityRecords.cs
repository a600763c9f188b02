using Counter.Core;

namespace Counter.Storage;

/// <summary>An operation for <paramref name="Target"/>, its input as JSON, and when it is due (null: as soon as possible).</summary>
public sealed record EntityMessage(EntityAddress Target, string Operation, byte[]? InputJson, DateTimeOffset? DueAt = null)
{
    /// <summary>
    /// The input object <see cref="InputJson"/> was written from, while the message lives in the process that made it;
    /// never stored (a message loaded from the store has only its JSON). It spares reading back what was just written.
    /// </summary>
    public object? Input { get; init; }
}

/// <summary>A message as kept in the queue: <paramref name="Id"/> increases in the order messages were persisted.</summary>
public sealed record StoredMessage(long Id, EntityMessage Message);

/// <summary>
/// An entity's state as JSON and, for a global entity, the totals kept on their own (<see cref="GlobalStateEntries"/>):
/// <paramref name="StateJson"/> is then the state's head, and <paramref name="Totals"/> the entries in the order they
/// were written, so that of several entries of one counter the last one holds.
/// </summary>
public sealed record StoredEntityState(EntityAddress Entity, byte[] StateJson, IReadOnlyList<TotalEntry> Totals);

/// <summary>
/// Some of the rows of a snapshot kept in the outbox (persisted with the operation that produced it, until the snapshot
/// store has it): those of its parts from the one asked for up to, not including, <paramref name="NextPart"/>, and its
/// removed counters when the chunk starts with the first part, which alone carries them.
/// </summary>
public sealed record OutboxChunk(SnapshotBatch Snapshot, int NextPart);

/// <summary>Everything the entity store holds, what a runtime resumes from on start; of the outbox only the ids, in order.</summary>
public sealed record PersistedEntities(
    IReadOnlyList<StoredEntityState> States,
    IReadOnlyList<StoredMessage> Messages,
    IReadOnlyList<long> Outbox);

/// <summary>
/// The outcome of a batch of operations on one entity, committed all together or not at all: its state's JSON and, when
/// the state keeps its totals on their own, the entries the batch changed, appended to those kept before, or, when
/// <paramref name="TotalsAreComplete"/>, all of them, replacing those kept before.
/// </summary>
public sealed record EntityBatch(
    EntityAddress Entity,
    byte[] StateJson,
    IReadOnlyList<TotalEntry> Totals,
    bool TotalsAreComplete,
    IReadOnlyList<long> ConsumedMessageIds,
    IReadOnlyList<EntityMessage> Signals,
    IReadOnlyList<SnapshotBatch> Snapshots);

/// <summary>The signals of a committed <see cref="EntityBatch"/> with their ids, and the outbox ids of its snapshots.</summary>
public sealed record CommittedEntityBatch(IReadOnlyList<StoredMessage> Signals, IReadOnlyList<long> Snapshots);

/// <summary>What one group commit stored: its signals with their ids, and each entity batch's outcome, in the order given.</summary>
public sealed record CommittedGroup(IReadOnlyList<StoredMessage> Signals, IReadOnlyList<CommittedEntityBatch> Batches);
