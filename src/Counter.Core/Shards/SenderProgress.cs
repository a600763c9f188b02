namespace Counter.Core;

/// <summary>
/// Which adds of one sender a shard has applied: every sequence up to <see cref="AppliedThrough"/>, and the ranges in
/// <see cref="AppliedAhead"/> that arrived before a gap was filled. Ranges rather than single numbers: while one
/// process's dequeued messages wait out their visibility timeout after it died, the adds after them keep arriving as
/// one growing range.
/// </summary>
public sealed class SenderProgress
{
    public long AppliedThrough { get; set; }

    /// <summary>Applied ranges above <see cref="AppliedThrough"/>, ascending, not touching each other: [from, to].</summary>
    public List<long[]> AppliedAhead { get; set; } = [];

    /// <summary>When the oldest unfilled gap appeared; null while there is none.</summary>
    public DateTimeOffset? GapSince { get; set; }

    /// <summary>When this sender's last add arrived.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>False when <paramref name="sequence"/> was applied before; otherwise marks it applied.</summary>
    public bool TryMarkApplied(long sequence, DateTimeOffset now)
    {
        LastSeen = now;
        if (sequence <= AppliedThrough)
        {
            return false;
        }

        var index = 0;
        while (index < AppliedAhead.Count && AppliedAhead[index][1] < sequence - 1)
        {
            index++;
        }

        if (index < AppliedAhead.Count && AppliedAhead[index][0] <= sequence && sequence <= AppliedAhead[index][1])
        {
            return false;
        }

        if (index < AppliedAhead.Count && AppliedAhead[index][1] == sequence - 1)
        {
            AppliedAhead[index][1] = sequence;
            if (index + 1 < AppliedAhead.Count && AppliedAhead[index + 1][0] == sequence + 1)
            {
                AppliedAhead[index][1] = AppliedAhead[index + 1][1];
                AppliedAhead.RemoveAt(index + 1);
            }
        }
        else if (index < AppliedAhead.Count && AppliedAhead[index][0] == sequence + 1)
        {
            AppliedAhead[index][0] = sequence;
        }
        else
        {
            AppliedAhead.Insert(index, [sequence, sequence]);
        }

        if (AppliedAhead[0][0] == AppliedThrough + 1)
        {
            AppliedThrough = AppliedAhead[0][1];
            AppliedAhead.RemoveAt(0);
        }

        GapSince = AppliedAhead.Count == 0 ? null : GapSince ?? now;
        return true;
    }

    /// <summary>
    /// Gives up on a gap open longer than <paramref name="patience"/>: what is missing there was never enqueued (its
    /// requests were answered with an error) or is past any redelivery, so later adds are no longer held apart from it.
    /// </summary>
    public void ForgetGapsOlderThan(TimeSpan patience, DateTimeOffset now)
    {
        while (GapSince is { } since && now - since > patience && AppliedAhead.Count > 0)
        {
            AppliedThrough = AppliedAhead[0][1];
            AppliedAhead.RemoveAt(0);
            GapSince = AppliedAhead.Count == 0 ? null : now;
        }
    }
}
