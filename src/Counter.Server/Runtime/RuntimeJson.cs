using System.Text.Json;
using Counter.Core;
using Counter.Storage;

namespace Counter.Server.Runtime;

/// <summary>States and inputs to and from JSON, by their runtime type, through the core's source-generated context.</summary>
internal static class RuntimeJson
{
    public static byte[] Serialize(object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), CounterJsonContext.Default);

    public static byte[]? SerializeInput(object? input) => input is null ? null : Serialize(input);

    public static object? Deserialize(byte[]? json, Type? type) => json is null || type is null
        ? null
        : JsonSerializer.Deserialize(json, type, CounterJsonContext.Default);

    /// <summary>
    /// A state as the store keeps it: whole as JSON, except the global state, whose totals are kept on their own
    /// (<see cref="GlobalStateEntries"/>): a batch appends the entries it changed to the <paramref name="keptTotals"/>
    /// entries kept so far, and once those would outnumber twice the counters (and the entity's share of
    /// <see cref="MinTotalsBeforeRewrite"/>), all of them are written anew in their place, so that what the store keeps
    /// stays in proportion to the counters.
    /// </summary>
    public static (byte[] Json, IReadOnlyList<TotalEntry> Totals, bool TotalsAreComplete) ToStore(object state, long keptTotals)
    {
        if (state is not GlobalState global)
        {
            return (Serialize(state), [], false);
        }

        var head = JsonSerializer.SerializeToUtf8Bytes(global, GlobalStateEntries.Head);
        var rewrite = keptTotals + global.Changed.Count > Math.Max(2L * global.Totals.Count, MinTotalsBeforeRewrite / Math.Max(1, global.Partitions));
        return (head, rewrite ? GlobalStateEntries.TakeAll(global) : GlobalStateEntries.TakeChanged(global), rewrite);
    }

    /// <summary>
    /// Below this many kept entries the totals are never rewritten, however few the counters; split evenly over the global
    /// partitions, so that N partitions keep together about what one keeps. Each partition keeping this many made the
    /// entity store 4.5 times larger with 16 partitions (13 MB against 3 MB after 30 s of batched load), past what SQLite
    /// caches, and its commits slower (bench/README.md).
    /// </summary>
    public const long MinTotalsBeforeRewrite = 10_000;

    /// <summary>The state the store keeps for <paramref name="entity"/>, or a new one when it keeps none.</summary>
    public static object State(EntityAddress entity, StoredEntityState? stored)
    {
        var state = Deserialize(stored?.StateJson, EntityOperations.StateTypeOf(entity.Name)) ?? EntityOperations.NewState(entity.Name);
        return state is GlobalState global && stored is not null ? GlobalStateEntries.Restore(global, stored.Totals) : state;
    }
}
