using Counter.Storage.Tables;
using Microsoft.Extensions.Options;

namespace Counter.Server.Storage;

/// <summary>Refuses to start with Table Storage settings that cannot work (checked only when <c>Storage:Snapshots</c> is <c>Tables</c>).</summary>
internal sealed class TableStorageOptionsValidation : IValidateOptions<TableStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, TableStorageOptions options) =>
        options.Validate() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
