using Counter.Api;
using Counter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Counter.Durable;
using Counter.Durable.Coalescing;
using Microsoft.Extensions.Options;

namespace Counter.Functions.Http;

/// <summary>
/// The HTTP contract of <see cref="CounterRoutes"/> as Azure Functions: each function is one call of its
/// <see cref="CounterHandlers"/> handler, the very code the self-contained host maps, over Durable Entities.
/// Function names are the self-contained host's endpoint names. Increments are coalesced per instance of the app.
/// </summary>
public sealed class CounterFunctions(
    ISnapshotStore snapshots,
    IOptionsMonitor<CounterOptions> options,
    SignalCoalescer coalescer,
    SignalSequencer sequencer,
    TenantServices tenants)
{
    private const string Get = "get";
    private const string Post = "post";
    private const string Put = "put";
    private const string Delete = "delete";

    [Function("Increment")]
    public Task<IResult> IncrementAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.Increment)] HttpRequest request,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.IncrementAsync(request, counter, Backend(client), tenants.Idempotency, Aborted(request));

    [Function("IncrementMany")]
    public Task<IResult> IncrementManyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.Increments)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.IncrementManyAsync(request, Backend(client), tenants.Idempotency, Aborted(request));

    [Function("ListCounters")]
    public Task<IResult> ListCountersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.Counters)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ListCountersAsync(request, Backend(client), Aborted(request));

    [Function("GetCounter")]
    public Task<IResult> GetCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.Counter)] HttpRequest request,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GetCounterAsync(request, counter, Backend(client), Aborted(request));

    [Function("GlobalCounters")]
    public Task<IResult> GlobalCountersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.GlobalCounters)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalCountersAsync(request, Backend(client), tenants.Access, Aborted(request));

    [Function("GlobalWrites")]
    public Task<IResult> GlobalWritesAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.GlobalWrites)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalWritesAsync(request, Backend(client), tenants.Access, Aborted(request));

    [Function("GlobalShardWrites")]
    public Task<IResult> GlobalShardWritesAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.GlobalShardWrites)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalShardWritesAsync(request, Backend(client), tenants.Access, Aborted(request));

    [Function("GlobalShards")]
    public Task<IResult> GlobalShardsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.GlobalShards)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalShardsAsync(request, Backend(client), tenants.Access, Aborted(request));

    [Function("ResetCounter")]
    public Task<IResult> GlobalResetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.GlobalReset)] HttpRequest request,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalResetAsync(request, counter, Backend(client), tenants.Access, tenants.Idempotency, Aborted(request));

    [Function("ShardCounters")]
    public Task<IResult> ShardCountersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.ShardCounters)] HttpRequest request,
        string n,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ShardCountersAsync(request, n, Backend(client), tenants.Access, Aborted(request));

    [Function("WriteShard")]
    public Task<IResult> ShardWriteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.ShardWrite)] HttpRequest request,
        string n,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ShardWriteAsync(request, n, Backend(client), tenants.Access, tenants.Idempotency, Aborted(request));

    [Function("CreateTenant")]
    public Task<IResult> CreateTenantAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.Tenants)] HttpRequest request) =>
        CounterHandlers.CreateTenantAsync(request, tenants, Aborted(request));

    [Function("ListTenants")]
    public Task<IResult> ListTenantsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.Tenants)] HttpRequest request) =>
        CounterHandlers.ListTenantsAsync(request, tenants, Aborted(request));

    [Function("DeleteTenant")]
    public Task<IResult> DeleteTenantAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = CounterRoutes.Tenant)] HttpRequest request,
        string tenant,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.DeleteTenantAsync(request, tenant, Backend(client), tenants, Aborted(request));

    [Function("CreateCounter")]
    public Task<IResult> CreateCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.Tenant)] HttpRequest request,
        string tenant,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.CreateCounterAsync(request, tenant, Backend(client), tenants, Aborted(request));

    [Function("ListTenantCounters")]
    public Task<IResult> ListTenantCountersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.Tenant)] HttpRequest request,
        string tenant,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ListTenantCountersAsync(request, tenant, Backend(client), tenants, Aborted(request));

    [Function("GetTenantCounter")]
    public Task<IResult> GetTenantCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.TenantCounter)] HttpRequest request,
        string tenant,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GetTenantCounterAsync(request, tenant, counter, Backend(client), tenants, Aborted(request));

    [Function("IncrementTenantCounter")]
    public Task<IResult> IncrementTenantCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.TenantCounterIncrement)] HttpRequest request,
        string tenant,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.IncrementTenantCounterAsync(request, tenant, counter, Backend(client), tenants, Aborted(request));

    [Function("DecrementTenantCounter")]
    public Task<IResult> DecrementTenantCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.TenantCounterDecrement)] HttpRequest request,
        string tenant,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.DecrementTenantCounterAsync(request, tenant, counter, Backend(client), tenants, Aborted(request));

    [Function("SetTenantCounter")]
    public Task<IResult> SetTenantCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Put, Route = CounterRoutes.TenantCounter)] HttpRequest request,
        string tenant,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.SetTenantCounterAsync(request, tenant, counter, Backend(client), tenants, Aborted(request));

    [Function("TenantOperations")]
    public Task<IResult> OperationsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.TenantOperations)] HttpRequest request,
        string tenant,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.OperationsAsync(request, tenant, Backend(client), tenants, Aborted(request));

    [Function("DeleteTenantCounter")]
    public Task<IResult> DeleteTenantCounterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = CounterRoutes.TenantCounter)] HttpRequest request,
        string tenant,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.DeleteTenantCounterAsync(request, tenant, counter, Backend(client), tenants, Aborted(request));

    [Function("IssueTenantKey")]
    public Task<IResult> IssueTenantKeyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = CounterRoutes.TenantKeys)] HttpRequest request,
        string tenant) =>
        CounterHandlers.IssueTenantKeyAsync(request, tenant, tenants, Aborted(request));

    [Function("RevokeTenantKey")]
    public Task<IResult> RevokeTenantKeyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = CounterRoutes.TenantKey)] HttpRequest request,
        string tenant,
        string keyId) =>
        CounterHandlers.RevokeTenantKeyAsync(request, tenant, keyId, tenants, Aborted(request));

    [Function("GetTenantOrigins")]
    public Task<IResult> GetTenantOriginsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Get, Route = CounterRoutes.TenantCors)] HttpRequest request,
        string tenant) =>
        CounterHandlers.GetTenantOriginsAsync(request, tenant, tenants.Access, tenants.Directory, Aborted(request));

    [Function("SetTenantOrigins")]
    public Task<IResult> SetTenantOriginsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Put, Route = CounterRoutes.TenantCors)] HttpRequest request,
        string tenant) =>
        CounterHandlers.SetTenantOriginsAsync(request, tenant, tenants.Access, tenants.Directory, Aborted(request));

    private CoalescingCounterBackend Backend(DurableTaskClient client) => new(new DurableCounterBackend(client.Entities, snapshots, options, sequencer), coalescer);

    private static CancellationToken Aborted(HttpRequest request) => request.HttpContext.RequestAborted;
}
