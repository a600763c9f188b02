using Microsoft.Extensions.Options;

namespace Counter.Server.Storage;

/// <summary>Refuses to start with storage options that cannot work, naming each option that is wrong.</summary>
internal sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataPath))
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(StorageOptions.DataPath)} must name a folder.");
        }
        else if (options.DataPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(StorageOptions.DataPath)} contains characters not allowed in a path: '{options.DataPath}'.");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(StorageOptions.Synchronous)} must be Full or Normal; it was {options.Synchronous}.");
        }

        if (!Enum.IsDefined(options.Snapshots))
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(StorageOptions.Snapshots)} must be one of {string.Join(", ", Enum.GetNames<SnapshotStoreKind>())}; it was {options.Snapshots}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
