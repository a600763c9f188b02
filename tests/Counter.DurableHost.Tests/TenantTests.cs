using Counter.Testing.Azurite;
using Counter.Testing.Tenants;

namespace Counter.DurableHost.Tests;

/// <summary>Tenants, keys and the counter lifecycle through the Durable Task host on the real Azure Storage backend.</summary>
public sealed class TenantTests(AzuriteAccountFixture azurite) : IClassFixture<AzuriteAccountFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private readonly DurableHostFactory host = new DurableHostFactory(azurite)
        .WithSetting("Counters:ShardWriteToGlobalAfter", "00:00:01")
        .WithSetting("Counters:GlobalWriteToSnapshotAfter", "00:00:01")
        .WithSetting("Counters:GlobalPartitions", "3");

    [Fact]
    public Task Every_route_refuses_the_callers_it_must_and_serves_the_others() => AccessMatrix.RunAsync(host.CreateClient);

    [Fact]
    public Task The_same_counter_name_in_two_tenants_counts_separately_and_deleting_one_tenant_leaves_the_other() =>
        Scenarios.The_same_counter_name_in_two_tenants_counts_separately_and_deleting_one_tenant_leaves_the_other();

    [Fact]
    public Task A_counter_is_counted_only_once_created_and_is_gone_once_deleted() =>
        Scenarios.A_counter_is_counted_only_once_created_and_is_gone_once_deleted();

    [Fact]
    public Task A_rotated_out_key_is_refused_once_deleted_and_the_new_one_works() =>
        Scenarios.A_rotated_out_key_is_refused_once_deleted_and_the_new_one_works();

    public async Task InitializeAsync() => (await host.StartAsync()).Dispose();

    public Task DisposeAsync() => host.DisposeAsync().AsTask();

    // Settling is waiting: both debounces, and the queue polling that delivers each step.
    private TenantScenarios Scenarios => new(host.CreateClient, () => Task.Delay((Debounce * 2) + TimeSpan.FromSeconds(2)));
}
