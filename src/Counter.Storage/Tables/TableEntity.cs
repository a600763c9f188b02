using Azure;

namespace Counter.Storage.Tables;

/// <summary>
/// One entity: its keys and typed properties (<see cref="long"/> as Edm.Int64, <see cref="DateTimeOffset"/> as Edm.DateTime,
/// <see cref="string"/>, <see cref="int"/>, <see cref="double"/>, <see cref="bool"/>). <see cref="ETag"/> is set on entities read from the service.
/// </summary>
public sealed record TableEntity(string PartitionKey, string RowKey, IReadOnlyDictionary<string, object> Properties)
{
    public ETag ETag { get; init; }

    public T Get<T>(string property) =>
        Properties.TryGetValue(property, out var value) && value is T typed
            ? typed
            : throw new InvalidDataException($"Entity '{PartitionKey}'/'{RowKey}' has no {typeof(T).Name} property '{property}'.");
}

/// <summary>One page of a query and where the next one starts (null on the last page).</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, TableContinuation? Continuation);

/// <summary>The service's continuation point (<c>x-ms-continuation-NextPartitionKey</c>/<c>NextRowKey</c>), passed back as is.</summary>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey);

public enum TableActionKind
{
    /// <summary>Insert; fails with 409 if the entity exists.</summary>
    Insert,

    /// <summary>Replace the whole entity if its ETag still is <see cref="TableAction.IfMatch"/>; fails with 412 otherwise.</summary>
    Replace,

    /// <summary>Insert, or merge the properties into the existing entity.</summary>
    UpsertMerge,
}

/// <summary>One operation of an entity group transaction.</summary>
public sealed record TableAction(TableActionKind Kind, TableEntity Entity, ETag IfMatch = default);
