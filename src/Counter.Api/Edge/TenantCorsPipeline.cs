using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Counter.Api;

/// <summary>
/// ASP.NET Core's CORS middleware, handed the (singleton) <see cref="TenantCorsPolicyProvider"/> directly. With
/// <c>UseCors()</c>, <c>UseMiddleware</c> binds the provider parameter of <see cref="CorsMiddleware.Invoke"/> on every
/// request, which a Native AOT build does by reflection (a method invoke with an argument array) over the request's
/// service scope: perf put that fallback at ~1 % of the embedded host's CPU under strict increments, and ~2 % of the
/// bytes it allocated.
/// </summary>
internal static class TenantCorsPipeline
{
    public static IApplicationBuilder UseTenantCors(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var corsService = services.GetRequiredService<ICorsService>();
        var policies = services.GetRequiredService<ICorsPolicyProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        return app.Use(next =>
        {
            var cors = new CorsMiddleware(next, corsService, loggers);
            return context => cors.Invoke(context, policies);
        });
    }
}
