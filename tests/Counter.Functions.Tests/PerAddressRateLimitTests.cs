using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Counter.Api;
using Counter.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Functions.Tests;

/// <summary>
/// The Functions app's per-address limit, its worker middleware run as the worker runs it: with the invocation's
/// HttpContext where the ASP.NET Core integration puts it (the Functions runtime itself is not to be had here).
/// </summary>
public sealed class PerAddressRateLimitTests
{
    private const int Burst = 3;

    [Fact]
    public async Task A_burst_from_one_address_past_its_bucket_gets_429_problem_details_while_another_address_runs()
    {
        using var services = Services();
        using var middleware = Middleware(services);
        var ran = 0;
        Task Next(FunctionContext context)
        {
            ran++;
            return Task.CompletedTask;
        }

        for (var i = 0; i < Burst; i++)
        {
            await middleware.Invoke(Invocation("IncrementTenantCounter", "203.0.113.7", services), Next);
        }

        var refused = Invocation("IncrementTenantCounter", "203.0.113.7", services);
        await middleware.Invoke(refused, Next);
        await middleware.Invoke(Invocation("IncrementTenantCounter", "203.0.113.8", services), Next);

        Assert.Equal(Burst + 1, ran);
        var response = refused.GetHttpContext()!.Response;
        Assert.Equal(StatusCodes.Status429TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.True(int.Parse(response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        response.Body.Position = 0;
        Assert.Equal(429, JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("Increment")]
    [InlineData("CreateTenant")]
    public async Task Seed_routes_by_default_and_administration_are_not_limited_per_address(string function)
    {
        using var services = Services();
        using var middleware = Middleware(services);
        var ran = 0;
        for (var i = 0; i < Burst * 3; i++)
        {
            await middleware.Invoke(Invocation(function, "203.0.113.7", services), _ =>
            {
                ran++;
                return Task.CompletedTask;
            });
        }

        Assert.Equal(Burst * 3, ran);
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProblemDetails();
        services.AddSingleton<EdgeMetrics>();
        services.AddSingleton<EdgeRefusals>();
        services.AddMetrics();
        services.AddSingleton(Options.Create(new ThrottlingOptions()));
        return services.BuildServiceProvider();
    }

    private static PerAddressRateLimitMiddleware Middleware(ServiceProvider services) =>
        new(Options.Create(new PerAddressOptions { Burst = Burst, TokensPerPeriod = 1, Period = TimeSpan.FromMinutes(10) }), services.GetRequiredService<EdgeRefusals>());

    private static TestFunctionContext Invocation(string function, string address, IServiceProvider services)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        http.Response.Body = new MemoryStream();
        var context = new TestFunctionContext(new TestFunctionDefinition(function), services);
        context.Items["HttpRequestContext"] = http;
        return context;
    }

    private sealed class TestFunctionContext(FunctionDefinition definition, IServiceProvider services) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();

        public override string FunctionId => definition.Id;

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition => definition;

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class TestFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(CounterFunctions).Assembly.Location;

        public override string EntryPoint => $"{typeof(CounterFunctions).FullName}.{name}";

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
