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
