using System.Net;
using Counter.Testing.Tenants;

namespace Counter.Server.Tests.Http;

/// <summary>Strict counters, the operation set and idempotency through the embedded host, over HTTP.</summary>
public sealed class StrictCounterTests : IAsyncLifetime
{
    private readonly CounterServerFactory server = new();

    private StrictScenarios Scenarios => new(server.CreateClient);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task Random_operations_answer_what_a_model_answers(int seed) => Scenarios.Random_operations_answer_what_a_model_answers(seed, steps: 150);

    [Fact]
    public Task Concurrent_strict_increments_are_exact_and_a_bound_holds() => Scenarios.Concurrent_strict_increments_are_exact_and_a_bound_holds(clients: 64, perClient: 1000);

    [Fact]
    public Task Batches_keep_order_and_are_all_or_nothing_and_bad_ones_are_refused() => Scenarios.Batches_keep_order_and_are_all_or_nothing_and_bad_ones_are_refused();

    [Fact]
    public Task An_idempotency_key_applies_a_mutation_once_and_refuses_reuse_for_another_request() =>
        Scenarios.An_idempotency_key_applies_a_mutation_once_and_refuses_reuse_for_another_request();

    [Fact]
    public Task Sharded_counters_take_the_plain_operations() => Scenarios.Sharded_counters_take_the_plain_operations();

    [Fact]
    public Task Clear_removes_every_counter_of_the_tenant_and_nothing_else() => Scenarios.Clear_removes_every_counter_of_the_tenant_and_nothing_else();

    [Fact]
    public async Task An_idempotency_key_is_forgotten_after_the_retention()
    {
        var client = server.CreateClient();
        var tenant = TenantApi.UniqueTenant("expiry");
        await TenantApi.CreateTenantAsync(server.CreateClient, tenant);
        await TenantApi.CreateCounterAsync(client, tenant, "s");
        using var first = Keyed(tenant);
        using var again = Keyed(tenant);
        using var later = Keyed(tenant);

        await TenantApi.Expect(await client.SendAsync(first), HttpStatusCode.Accepted);
        server.Clock.Advance(TimeSpan.FromHours(23));
        var replayed = await client.SendAsync(again);
        server.Clock.Advance(TimeSpan.FromHours(2));
        var fresh = await client.SendAsync(later);

        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        Assert.False(fresh.Headers.Contains("Idempotent-Replayed"));
        await server.SettleAsync();
        Assert.Equal(2, await TenantApi.ValueAsync(client, tenant, "s"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DisposeAsync().AsTask();

    private static HttpRequestMessage Keyed(string tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/tenants/{tenant}/s/inc");
        request.Headers.Add("Idempotency-Key", "same-key");
        return request;
    }
}
