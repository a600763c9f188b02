using System.Globalization;

namespace Counter.Api;

/// <summary>How long answers to idempotency keys are kept, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary><c>Idempotency:Retention</c>: how long a retry with the same key gets the first answer again.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Every problem with these options, each a sentence naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate() =>
        Retention < TimeSpan.FromMinutes(1) || Retention > TimeSpan.FromDays(7)
            ? [string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{nameof(Retention)} must be from 00:01:00 to 7.00:00:00; it was {Retention}.")]
            : [];
}
