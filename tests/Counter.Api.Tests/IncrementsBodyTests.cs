using System.Text;
using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api.Tests;

public sealed class IncrementsBodyTests
{
    [Fact]
    public async Task An_object_of_names_to_integers_becomes_one_increment_per_counter()
    {
        var increments = await ReadAsync("""{"likes":1,"views":-5,"ñandú":9223372036854775807}""");

        Assert.Equal(
            [
                new Increment(CounterKey.InDefaultTenant("likes"), 1),
                new Increment(CounterKey.InDefaultTenant("views"), -5),
                new Increment(CounterKey.InDefaultTenant("ñandú"), long.MaxValue),
            ],
            increments);
    }

    [Fact]
    public async Task Every_counter_of_the_body_is_in_the_requests_tenant()
    {
        var increments = await ReadAsync("""{"a":1,"b":2}""", tenant: "acme");

        Assert.Equal([new Increment(CounterKey.Create("acme", "a"), 1), new Increment(CounterKey.Create("acme", "b"), 2)], increments);
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("{}", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"a\":1", "body")]
    [InlineData("{\"a\":1}{\"b\":2}", "body")]
    [InlineData("{\"a\":1.5}", "a")]
    [InlineData("{\"a\":\"1\"}", "a")]
    [InlineData("{\"a\":9223372036854775808}", "a")]
    [InlineData("{\"a\":{\"b\":1}}", "a")]
    [InlineData("{\"a\":1,\"a\":2}", "a")]
    public async Task Malformed_bodies_are_refused_naming_the_field(string body, string field)
    {
        var refusal = await Assert.ThrowsAsync<RequestValidationException>(() => ReadAsync(body));

        Assert.Equal(field, refusal.Field);
        Assert.Equal(StatusCodes.Status400BadRequest, refusal.StatusCode);
    }

    [Theory]
    [InlineData("""{"a/b":1}""")]
    [InlineData("""{"a":1,"b":2,"c#":3}""")]
    public async Task An_invalid_counter_name_anywhere_in_the_body_is_refused_as_an_invalid_key(string body)
    {
        var refusal = await Assert.ThrowsAsync<InvalidCounterKeyException>(() => ReadAsync(body));

        Assert.Equal(KeyRules.CounterField, refusal.Field);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var refusal = await Assert.ThrowsAsync<RequestValidationException>(() => ReadAsync("""{"a":1}""", "text/plain"));

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, refusal.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_even_without_a_content_length()
    {
        var huge = "{" + string.Join(',', Enumerable.Range(0, 120_000).Select(i => $"\"counter{i}\":1")) + "}";
        Assert.True(Encoding.UTF8.GetByteCount(huge) > IncrementsBody.MaxBytes);

        var refusal = await Assert.ThrowsAsync<RequestValidationException>(() => ReadAsync(huge, declareLength: false));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refusal.StatusCode);
    }

    private static Task<IReadOnlyList<Increment>> ReadAsync(string body, string contentType = "application/json", bool declareLength = true, string tenant = CounterKey.DefaultTenant)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.ContentLength = declareLength ? bytes.Length : null;
        context.Request.Body = new MemoryStream(bytes);
        return IncrementsBody.ReadAsync(context.Request, tenant, CancellationToken.None);
    }
}
