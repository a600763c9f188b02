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
    ISnapshotStore snapshots, IOptionsMonitor<CounterOptions> options, SignalCoalescer coalescer, SignalSequencer sequencer)
{
    private const string Get = "get";
    private const string Post = "post";

    [Function("Increment")]
    public Task<IResult> IncrementAsync(
        [HttpTrigger(AuthorizationLevel.Function, Post, Route = CounterRoutes.Increment)] HttpRequest request,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.IncrementAsync(request, counter, Backend(client), Aborted(request));

    [Function("IncrementMany")]
    public Task<IResult> IncrementManyAsync(
        [HttpTrigger(AuthorizationLevel.Function, Post, Route = CounterRoutes.Increments)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.IncrementManyAsync(request, Backend(client), Aborted(request));

    [Function("ListCounters")]
    public Task<IResult> ListCountersAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.Counters)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ListCountersAsync(request, Backend(client), Aborted(request));

    [Function("GetCounter")]
    public Task<IResult> GetCounterAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.Counter)] HttpRequest request,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GetCounterAsync(request, counter, Backend(client), Aborted(request));

    [Function("GlobalCounters")]
    public Task<IResult> GlobalCountersAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.GlobalCounters)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalCountersAsync(request, Backend(client), Aborted(request));

    [Function("GlobalWrites")]
    public Task<IResult> GlobalWritesAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.GlobalWrites)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalWritesAsync(request, Backend(client), Aborted(request));

    [Function("GlobalShardWrites")]
    public Task<IResult> GlobalShardWritesAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.GlobalShardWrites)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalShardWritesAsync(request, Backend(client), Aborted(request));

    [Function("GlobalShards")]
    public Task<IResult> GlobalShardsAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.GlobalShards)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalShardsAsync(request, Backend(client), Aborted(request));

    [Function("ResetCounter")]
    public Task<IResult> GlobalResetAsync(
        [HttpTrigger(AuthorizationLevel.Function, Post, Route = CounterRoutes.GlobalReset)] HttpRequest request,
        string counter,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.GlobalResetAsync(request, counter, Backend(client), Aborted(request));

    [Function("ShardCounters")]
    public Task<IResult> ShardCountersAsync(
        [HttpTrigger(AuthorizationLevel.Function, Get, Route = CounterRoutes.ShardCounters)] HttpRequest request,
        string n,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ShardCountersAsync(request, n, Backend(client), Aborted(request));

    [Function("WriteShard")]
    public Task<IResult> ShardWriteAsync(
        [HttpTrigger(AuthorizationLevel.Function, Post, Route = CounterRoutes.ShardWrite)] HttpRequest request,
        string n,
        [DurableClient] DurableTaskClient client) =>
        CounterHandlers.ShardWriteAsync(request, n, Backend(client), Aborted(request));

    private CoalescingCounterBackend Backend(DurableTaskClient client) => new(new DurableCounterBackend(client.Entities, snapshots, options, sequencer), coalescer);

    private static CancellationToken Aborted(HttpRequest request) => request.HttpContext.RequestAborted;
}
