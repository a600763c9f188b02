using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    private const string OriginsShape = """a JSON object {"origins":["https://site.example"]} (origins scheme://host[:port], or "*" for reads from anywhere)""";

    /// <summary><c>GET /tenants/{tenant}/settings/cors</c> (operator or tenant key): the origins the tenant allows browser calls from.</summary>
    public static Task<IResult> GetTenantOriginsAsync(HttpRequest request, string tenant, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            await ExistingTenantAsync(tenant, directory, cancellationToken).ConfigureAwait(false);
            var origins = await directory.FindOriginsAsync(tenant, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new TenantOriginsView(tenant, origins?.Origins ?? []), CounterApiJsonContext.Readable.TenantOriginsView);
        });

    /// <summary>
    /// <c>PUT /tenants/{tenant}/settings/cors</c> with <c>{"origins":[…]}</c> (operator or tenant key): 200. The tenant's
    /// public routes answer CORS for these origins from then on, here at once, in other processes within
    /// <c>Tenants:RefreshInterval</c>; <c>*</c> lets any origin read, never increment.
    /// </summary>
    public static Task<IResult> SetTenantOriginsAsync(HttpRequest request, string tenant, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.SetTenantOriginsRequest, OriginsShape, cancellationToken).ConfigureAwait(false);
            if (BrowserOrigins.Explain(body.Origins) is { } reason)
            {
                throw new RequestValidationException("origins", $"The origins {reason}.");
            }

            string[] origins = [.. body.Origins!.Select(static origin => origin!).Distinct(StringComparer.OrdinalIgnoreCase)];
            if (!await directory.SetOriginsAsync(new TenantOrigins(TenantName(tenant), origins), cancellationToken).ConfigureAwait(false))
            {
                return Problems.NotFound($"There is no tenant '{tenant}'.");
            }

            return TypedResults.Json(new TenantOriginsView(tenant, origins), CounterApiJsonContext.Readable.TenantOriginsView);
        });
}
