using System.Globalization;
using System.Text;

namespace Counter.Core;

/// <summary>
/// Which global entity keeps a counter's total when the totals are split over <see cref="CounterOptions.GlobalPartitions"/>
/// entities, so that no one entity's state grows with every counter there is.
/// </summary>
public static class GlobalPartitions
{
    public const int Max = 256;

    /// <summary>
    /// The partition of <paramref name="counter"/>: FNV-1a (32 bits) of its tenant and name in UTF-8, modulo the count.
    /// It must be the same in every process, version and platform, which <see cref="string.GetHashCode()"/> (randomized
    /// per process) is not. FNV-1a is written out here, a few lines defined by its specification, to keep the core free of
    /// package references.
    /// </summary>
    public static int Of(CounterKey counter, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (partitions == 1)
        {
            return 0;
        }

        var hash = Fnv1a(Fnv1a(2166136261u, counter.Tenant), "/");
        return (int)(Fnv1a(hash, counter.Name) % (uint)partitions);
    }

    /// <summary>
    /// The entity of <paramref name="partition"/>: with a single partition the one global entity totals always had
    /// (<c>@global@default</c>), so existing totals stay where they are; otherwise <c>@global@{partition}</c>.
    /// </summary>
    public static EntityAddress Address(int partition, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, partitions);
        return partitions == 1 ? EntityAddress.Global : new EntityAddress(EntityAddress.GlobalName, partition.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The global entity that keeps <paramref name="counter"/>'s total.</summary>
    public static EntityAddress AddressOf(CounterKey counter, int partitions) => Address(Of(counter, partitions), partitions);

    /// <summary>Every global entity, in partition order.</summary>
    public static IReadOnlyList<EntityAddress> All(int partitions) =>
        [.. Enumerable.Range(0, partitions).Select(partition => Address(partition, partitions))];

    /// <summary>
    /// Why totals kept by the global entities <paramref name="existing"/> cannot go on with <paramref name="partitions"/>
    /// partitions, or null when they can. Counted with another partition count, counters would now belong to other
    /// entities than the ones that hold their totals and their snapshot versions: counts would be lost or doubled.
    /// </summary>
    public static string? ProblemWith(IEnumerable<(EntityAddress Entity, GlobalState State)> existing, int partitions)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var expected = All(partitions);
        foreach (var (entity, state) in existing)
        {
            var keptWith = Math.Max(1, state.Partitions);
            if (keptWith != partitions || !expected.Contains(entity))
            {
                return $"{CounterOptions.SectionName}:{nameof(CounterOptions.GlobalPartitions)} is {partitions}, but the totals in this storage "
                    + $"were kept with {keptWith} (global entity {entity}): changing it would move counters to other global entities "
                    + $"and lose or double counts. Set it back to {keptWith}, or count with {partitions} partitions on new, empty storage.";
            }
        }

        return null;
    }

    private static uint Fnv1a(uint hash, string text)
    {
        // ASCII text is its own UTF-8: hashed as it is, without encoding it first. A shard hashes every counter of every
        // flush, and the encoding was 2 % of the service's CPU under batched load over 16 partitions (bench/README.md).
        if (Ascii.IsValid(text))
        {
            foreach (var character in text)
            {
                hash = unchecked((hash ^ character) * 16777619u);
            }

            return hash;
        }

        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var octet in bytes)
        {
            hash = unchecked((hash ^ octet) * 16777619u);
        }

        return hash;
    }
}
