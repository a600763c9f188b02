namespace Counter.Storage;

public sealed partial class SqliteTenantStore
{
    /// <summary>One statement, so one transaction: every counter record of the tenant, strict values with them.</summary>
    public Task ClearCountersAsync(string tenant, CancellationToken cancellationToken)
    {
        TenantArguments.Tenant(tenant);
        return RunAsync(connection => Change(connection, "DELETE FROM tenant_counter WHERE tenant = ?1", tenant), cancellationToken);
    }
}
