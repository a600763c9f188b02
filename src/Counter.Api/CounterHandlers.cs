using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

/// <summary>
/// The handlers of the HTTP contract. Each validates its own input and maps every expected failure to problem details,
/// so both hosts answer identically without relying on middleware of their own. Routes use the default tenant.
/// </summary>
public static partial class CounterHandlers
{
    private const string Tenant = CounterKey.DefaultTenant;

    /// <summary>
    /// A mutation: <see cref="Guard"/>ed, <paramref name="authorize"/>d first (a kept answer is given only to whoever may
    /// make the request), and run once per idempotency key in <paramref name="scope"/>.
    /// </summary>
    private static Task<IResult> Mutation(HttpRequest request, IdempotentRequests idempotency, string scope, Func<IdempotencyContext?, Task<IResult>> handle, Func<ValueTask>? authorize = null) =>
        Guard(request, authorize is null
            ? () => idempotency.RunAsync(request, scope, handle, request.HttpContext.RequestAborted)
            : async () =>
            {
                await authorize().ConfigureAwait(false);
                return await idempotency.RunAsync(request, scope, handle, request.HttpContext.RequestAborted).ConfigureAwait(false);
            });

    private static async Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (Exception exception) when (Problems.IsExpected(exception))
        {
            return Problems.From(exception, request.HttpContext.Response);
        }
    }
}
