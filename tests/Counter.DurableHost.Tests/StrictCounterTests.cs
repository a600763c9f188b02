using Counter.Testing.Azurite;
using Counter.Testing.Tenants;

namespace Counter.DurableHost.Tests;

/// <summary>Strict counters (Table Storage rows with ETag concurrency), the operation set and idempotency through the Durable Task host.</summary>
public sealed class StrictCounterTests(AzuriteAccountFixture azurite) : IClassFixture<AzuriteAccountFixture>, IAsyncLifetime
{
    private readonly DurableHostFactory host = new DurableHostFactory(azurite)
        .WithSetting("Counters:ShardWriteToGlobalAfter", "00:00:01")
        .WithSetting("Counters:GlobalWriteToSnapshotAfter", "00:00:01");

    private StrictScenarios Scenarios => new(host.CreateClient);

    [Fact]
    public Task Random_operations_answer_what_a_model_answers() => Scenarios.Random_operations_answer_what_a_model_answers(seed: 7, steps: 60);

    // Fewer than on the embedded host: every conflict on the one row is a retry against Azurite.
    [Fact]
    public Task Concurrent_strict_increments_are_exact_and_a_bound_holds() => Scenarios.Concurrent_strict_increments_are_exact_and_a_bound_holds(clients: 16, perClient: 20);

    [Fact]
    public Task Batches_keep_order_and_are_all_or_nothing_and_bad_ones_are_refused() => Scenarios.Batches_keep_order_and_are_all_or_nothing_and_bad_ones_are_refused();

    [Fact]
    public Task An_idempotency_key_applies_a_mutation_once_and_refuses_reuse_for_another_request() =>
        Scenarios.An_idempotency_key_applies_a_mutation_once_and_refuses_reuse_for_another_request();

    [Fact]
    public Task Sharded_counters_take_the_plain_operations() => Scenarios.Sharded_counters_take_the_plain_operations();

    [Fact]
    public Task Clear_removes_every_counter_of_the_tenant_and_nothing_else() => Scenarios.Clear_removes_every_counter_of_the_tenant_and_nothing_else();

    public async Task InitializeAsync() => (await host.StartAsync()).Dispose();

    public Task DisposeAsync() => host.DisposeAsync().AsTask();
}
