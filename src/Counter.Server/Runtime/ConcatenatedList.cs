using System.Collections;

namespace Counter.Server.Runtime;

/// <summary>Several lists read as one, in order, without copying them: many queued adds delivered as one.</summary>
internal sealed class ConcatenatedList<T>(IReadOnlyList<IReadOnlyList<T>> parts) : IReadOnlyList<T>
{
    public int Count { get; } = parts.Sum(part => part.Count);

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            foreach (var part in parts)
            {
                if (index < part.Count)
                {
                    return part[index];
                }

                index -= part.Count;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    public IEnumerator<T> GetEnumerator()
    {
        foreach (var part in parts)
        {
            for (var index = 0; index < part.Count; index++)
            {
                yield return part[index];
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
