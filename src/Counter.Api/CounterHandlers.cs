using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>
/// The handlers of the HTTP contract. Each validates its own input and maps every expected failure to problem details,
/// so both hosts answer identically without relying on middleware of their own.
/// </summary>
public static partial class CounterHandlers
{
    public static Task<IResult> IncrementAsync(HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> IncrementManyAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> ListCountersAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> GetCounterAsync(HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> GlobalCountersAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> GlobalWritesAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> GlobalShardWritesAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> GlobalShardsAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> GlobalResetAsync(HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> ShardCountersAsync(HttpRequest request, string n, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public static Task<IResult> ShardWriteAsync(HttpRequest request, string n, ICounterBackend backend, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
