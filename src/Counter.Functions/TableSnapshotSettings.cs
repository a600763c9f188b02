namespace Counter.Functions;

/// <summary>Where the Functions host writes and reads snapshots: app settings <c>Storage__Tables__*</c>.</summary>
public sealed class TableSnapshotSettings
{
    public const string SectionName = "Storage:Tables";

    /// <summary>
    /// A connection string (<c>UseDevelopmentStorage=true</c> against Azurite) or the Table endpoint URI
    /// (<c>https://account.table.core.windows.net</c>), which authorizes with the app's managed identity.
    /// </summary>
    public string Connection { get; set; } = "";

    /// <summary>The client ID of the user-assigned managed identity that an endpoint <see cref="Connection"/> uses; empty for the default identity.</summary>
    public string? ClientId { get; set; }

    public string TableName { get; set; } = "counters";
}
