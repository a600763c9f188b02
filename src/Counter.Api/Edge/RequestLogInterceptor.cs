using Counter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;

namespace Counter.Api;

/// <summary>
/// Adds to ASP.NET Core's one line per request (HTTP logging, combined) what an operator searches by: the route
/// pattern, its group, the tenant and the client address (after the forwarded headers). Headers, query string and
/// bodies are never logged, so no key is: keys travel only in <c>X-API-Key</c>.
/// </summary>
internal sealed class RequestLogInterceptor : IHttpLoggingInterceptor
{
    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
    {
        ArgumentNullException.ThrowIfNull(logContext);
        var context = logContext.HttpContext;
        if (context.GetEndpoint() is RouteEndpoint endpoint)
        {
            logContext.AddParameter("Route", "/" + endpoint.RoutePattern.RawText?.TrimStart('/'));
            if (endpoint.Metadata.GetMetadata<EdgeRoute>() is { } route)
            {
                logContext.AddParameter("Group", route.GroupName);
                if (route.IsTenantRoute)
                {
                    logContext.AddParameter("Tenant", context.Request.RouteValues[EdgeRoute.TenantParameter]);
                }
                else if (route.Group != RouteGroup.Administration)
                {
                    logContext.AddParameter("Tenant", CounterKey.DefaultTenant);
                }
            }
        }

        logContext.AddParameter("ClientAddress", context.Connection.RemoteIpAddress?.ToString());
        return ValueTask.CompletedTask;
    }
}
