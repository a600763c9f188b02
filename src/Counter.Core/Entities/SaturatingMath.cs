using System.Runtime.InteropServices;

namespace Counter.Core;

/// <summary>Totals stop at the Int64 bounds instead of wrapping around or failing a merge that must not be lost.</summary>
public static class SaturatingMath
{
    public static long Add(long left, long right)
    {
        var sum = unchecked(left + right);
        // Overflow happened when both operands share a sign that the sum does not.
        if (((left ^ sum) & (right ^ sum)) < 0)
        {
            return left < 0 ? long.MinValue : long.MaxValue;
        }

        return sum;
    }

    /// <summary>Adds <paramref name="delta"/> to the sum kept for <paramref name="counter"/> (zero when none is), with one lookup.</summary>
    public static void AddTo(Dictionary<CounterKey, long> sums, CounterKey counter, long delta)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, counter, out _);
        sum = Add(sum, delta);
    }
}
