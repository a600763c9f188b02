using System.Net;
using System.Net.Http.Json;
using Counter.Testing.Tenants;

namespace Counter.Server.Tests.Http;

/// <summary>Tenants, keys and the counter lifecycle through the embedded host, over HTTP.</summary>
public sealed class TenantTests : IAsyncLifetime
{
    private readonly CounterServerFactory server = new();

    [Fact]
    public Task Every_route_refuses_the_callers_it_must_and_serves_the_others() => AccessMatrix.RunAsync(server.CreateClient);

    [Fact]
    public Task The_same_counter_name_in_two_tenants_counts_separately_and_deleting_one_tenant_leaves_the_other() =>
        Scenarios.The_same_counter_name_in_two_tenants_counts_separately_and_deleting_one_tenant_leaves_the_other();

    [Fact]
    public Task A_counter_is_counted_only_once_created_and_is_gone_once_deleted() =>
        Scenarios.A_counter_is_counted_only_once_created_and_is_gone_once_deleted();

    [Fact]
    public Task A_rotated_out_key_is_refused_once_deleted_and_the_new_one_works() =>
        Scenarios.A_rotated_out_key_is_refused_once_deleted_and_the_new_one_works();

    [Theory]
    [InlineData("""{"tenant":"a/b"}""")]
    [InlineData("""{"tenant":""}""")]
    [InlineData("""{"tenant":"this-tenant-name-is-longer-than-sixty-four-characters-which-is-the-limit"}""")]
    [InlineData("""{"tenant":7}""")]
    [InlineData("""{"name":"blog"}""")]
    [InlineData("""{"tenant":"blog","extra":1}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    [InlineData("""{"tenant":""")]
    public async Task Invalid_tenants_are_refused_with_problem_details_and_nothing_is_created(string body)
    {
        var client = server.CreateClient();

        using var response = await client.PostAsync("/tenants", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problem(response, HttpStatusCode.BadRequest);
        var tenants = await client.GetFromJsonAsync<TenantListBody>("/tenants");
        Assert.Empty(tenants!.Tenants);
    }

    [Theory]
    [InlineData("""{"counter":"likes","initialValue":9223372036854775808}""")]
    [InlineData("""{"counter":"likes","initialValue":1.5}""")]
    [InlineData("""{"counter":"likes","initialValue":"5"}""")]
    [InlineData("""{"counter":"a?b"}""")]
    [InlineData("""{"counter":"likes","initial_value":5}""")]
    [InlineData("""{}""")]
    public async Task Invalid_counters_are_refused_with_problem_details_and_nothing_is_created(string body)
    {
        var client = server.CreateClient();
        var tenant = TenantApi.UniqueTenant("bad");
        await TenantApi.CreateTenantAsync(server.CreateClient, tenant);

        using var response = await client.PostAsync($"/tenants/{tenant}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Problem(response, HttpStatusCode.BadRequest);
        await server.SettleAsync();
        Assert.Null(await TenantApi.ValueAsync(client, tenant, "likes"));
        var listed = await client.GetFromJsonAsync<TenantCountersBody>($"/tenants/{tenant}");
        Assert.Empty(listed!.Counters);
    }

    [Fact]
    public async Task Routes_of_a_tenant_that_does_not_exist_answer_404_and_a_duplicate_tenant_409()
    {
        var client = server.CreateClient();
        var tenant = TenantApi.UniqueTenant("twice");
        await TenantApi.CreateTenantAsync(server.CreateClient, tenant);

        await Problem(await client.PostAsJsonAsync("/tenants", new { tenant }), HttpStatusCode.Conflict);
        await Problem(await client.PostAsJsonAsync("/tenants", new { tenant = "default" }), HttpStatusCode.Conflict);
        await Problem(await client.PostAsJsonAsync("/tenants/nobody", new { counter = "a" }), HttpStatusCode.NotFound);
        await Problem(await client.GetAsync("/tenants/nobody"), HttpStatusCode.NotFound);
        await Problem(await client.GetAsync("/tenants/nobody/a"), HttpStatusCode.NotFound);
        await Problem(await client.PostAsync("/tenants/nobody/a/inc", null), HttpStatusCode.NotFound);
        await Problem(await client.DeleteAsync("/tenants/nobody"), HttpStatusCode.NotFound);
        await Problem(await client.DeleteAsync($"/tenants/{tenant}/keys/0000000000000000"), HttpStatusCode.NotFound);
        await Problem(await client.PostAsync($"/tenants/{tenant}/a/inc?delta=x", null), HttpStatusCode.BadRequest);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => server.DisposeAsync().AsTask();

    private TenantScenarios Scenarios => new(server.CreateClient, server.SettleAsync);

    private static async Task Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private sealed record TenantListBody(IReadOnlyList<object> Tenants);

    private sealed record TenantCountersBody(IReadOnlyDictionary<string, long> Counters);
}
