using System.Text.Json.Serialization;

namespace Counter.Core;

/// <summary>
/// Input of <see cref="ShardOperations.Add"/>: one or many increments, applied all together. <paramref name="Count"/> is
/// how many increments they stand for when several were summed into one per counter (see <see cref="Combine"/>);
/// null means one each. <paramref name="Sender"/> and <paramref name="Sequence"/>, when given, number the adds of one
/// sender to one shard, so that the shard applies an add delivered twice once. <paramref name="IdempotencyKey"/>, when
/// given, is the hash of a client's idempotency key: the shard applies the add once per key until
/// <paramref name="KeyExpiresAt"/>, however often the client sends it (a retry after a lost answer).
/// </summary>
public sealed record AddIncrements(
    IReadOnlyList<Increment> Increments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Count = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sender = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Sequence = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdempotencyKey = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? KeyExpiresAt = null)
{
    /// <summary>How many increments this adds to a shard's buffer, for its threshold.</summary>
    [JsonIgnore]
    public long IncrementCount => Count ?? Increments.Count;

    /// <summary>
    /// One input that adds what all of <paramref name="adds"/> add: deltas summed per counter (saturating, as a shard sums
    /// them), counting every increment they stood for.
    /// </summary>
    public static AddIncrements Combine(IReadOnlyCollection<AddIncrements> adds)
    {
        ArgumentNullException.ThrowIfNull(adds);
        var sums = new Dictionary<CounterKey, long>();
        long count = 0;
        foreach (var add in adds)
        {
            foreach (var increment in add.Increments)
            {
                SaturatingMath.AddTo(sums, increment.Counter, increment.Delta);
            }

            count += add.IncrementCount;
        }

        return new AddIncrements(sums.Select(static sum => new Increment(sum.Key, sum.Value)).ToList(), count);
    }
}

/// <summary>Input of <see cref="ShardOperations.Tick"/>: the flush a debounce timer was armed for.</summary>
public sealed record FlushTick(long Sequence);

/// <summary>
/// Input of <see cref="GlobalOperations.Merge"/>: what a shard hands over, summed per counter. <paramref name="DueAt"/> is
/// when the flush was due: when it was sent, or, when its shard's timer fired late, when that timer was due. The global
/// entity counts its own debounce from it (see <see cref="GlobalOperations.ApplyMerge"/>); null (flushes sent before it
/// existed) means when the merge is applied.
/// </summary>
public sealed record ShardFlush(
    string Shard,
    long Sequence,
    long IncrementCount,
    IReadOnlyList<Increment> Deltas,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DueAt = null);

/// <summary>Input of <see cref="ShardOperations.Forget"/>: deleted counters, or a tenant all of whose counters were deleted.</summary>
public sealed record ForgetCounters(IReadOnlyList<CounterKey>? Counters, string? Tenant);
