using System.Net;
using System.Text;
using System.Text.Json;

namespace Counter.Server.Tests.Http;

/// <summary>Every refused request gets its status and a problem details body naming the field, and changes nothing.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly CounterServerFactory server = new CounterServerFactory().WithSetting("Counters:ShardMinIncrementsToGlobal", "1");
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = server.CreateClient();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => server.DisposeAsync().AsTask();

    [Theory]
    [InlineData("/increment/a%20b", "counter")]
    [InlineData("/increment/a%3Fb", "counter")]
    [InlineData("/increment/a%23b", "counter")]
    [InlineData("/increment/a%5Cb", "counter")]
    [InlineData("/increment/a%2Fb", "counter")]
    [InlineData("/increment/a%01b", "counter")]
    [InlineData("/increment/likes?by=abc", "by")]
    [InlineData("/increment/likes?by=1.5", "by")]
    [InlineData("/increment/likes?by=9223372036854775808", "by")]
    [InlineData("/increment/likes?by=1&by=2", "by")]
    [InlineData("/increment/likes?shard=4", "shard")]
    [InlineData("/increment/likes?shard=-1", "shard")]
    [InlineData("/increment/likes?shard=x", "shard")]
    [InlineData("/global/reset/a%20b", "counter")]
    [InlineData("/shard/x/write", "n")]
    [InlineData("/shard/1024/write", "n")]
    public async Task Invalid_posts_get_400_naming_the_field(string path, string field)
    {
        using var response = await client.PostAsync(path, null);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        await AssertNothingCountedAsync();
    }

    [Theory]
    [InlineData("/counters/a%20b", "counter")]
    [InlineData("/counters?pageSize=0", "pageSize")]
    [InlineData("/counters?pageSize=1001", "pageSize")]
    [InlineData("/counters?continuationToken=not-a-token!", "continuationToken")]
    [InlineData("/counters?prefix=a%2Fb", "prefix")]
    [InlineData("/counters?prefix=", "prefix")]
    [InlineData("/shard/-1/counters", "n")]
    public async Task Invalid_reads_get_400_naming_the_field(string path, string field)
    {
        using var response = await client.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_name_longer_than_256_characters_is_refused()
    {
        using var response = await client.PostAsync("/increment/" + new string('a', 257), null);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "counter");
    }

    [Theory]
    [InlineData("{\"a\":1,\"b\":\"x\"}", "b")]
    [InlineData("{\"a\":1,\"b c\":1}", "counter")]
    [InlineData("{\"a\":1,\"a\":1}", "a")]
    [InlineData("{}", "body")]
    [InlineData("{\"a\":1", "body")]
    [InlineData("", "body")]
    [InlineData("[{\"a\":1}]", "body")]
    public async Task Invalid_batches_get_400_and_none_of_their_increments_count(string body, string field)
    {
        using var response = await client.PostAsync("/increments", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        await AssertNothingCountedAsync();
    }

    [Fact]
    public async Task A_batch_that_is_not_json_gets_415()
    {
        using var response = await client.PostAsync("/increments", new StringContent("{\"a\":1}", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "body");
    }

    [Fact]
    public async Task A_batch_over_one_mebibyte_gets_413()
    {
        var body = "{" + string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"\"counter-{i}\":1")) + "}";

        using var response = await client.PostAsync("/increments", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        await AssertNothingCountedAsync();
    }

    [Fact]
    public async Task A_delta_that_would_take_the_total_past_the_64_bit_range_gets_400()
    {
        await client.IncrementAsync("big", $"?by={long.MaxValue - 1}");
        await server.WhenIdleAsync();

        using var response = await client.PostAsync($"/increment/big?by={int.MaxValue + 1L}", null);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "big");
        Assert.Equal(long.MaxValue - 1, (await client.GetJsonAsync("/global/counters")).GetProperty("counters").GetProperty("big").GetInt64());
    }

    [Theory]
    [InlineData("GET", "/no-such-route", HttpStatusCode.NotFound)]
    [InlineData("GET", "/increment/likes", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/counters", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_routes_and_wrong_methods_are_problem_details_too(string method, string path, HttpStatusCode status)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_counter_never_counted_is_404_problem_details()
    {
        using var response = await client.GetAsync("/counters/never");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", body, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"The problem should name '{field}': {body}");
    }

    private async Task AssertNothingCountedAsync()
    {
        await server.WhenIdleAsync();
        var global = await client.GetJsonAsync("/global/counters");
        Assert.Empty(global.GetProperty("counters").EnumerateObject());
        Assert.Empty((await client.GetJsonAsync("/global/shards")).GetProperty("shards").EnumerateArray());
    }
}
