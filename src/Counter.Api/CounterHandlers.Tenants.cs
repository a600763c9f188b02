using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    private const string TenantShape = """a JSON object {"tenant":"name"}""";
    private const string CounterShape = """a JSON object {"counter":"name","initialValue":integer} (initialValue optional, 0 by default, a 64-bit integer)""";

    /// <summary><c>POST /tenants</c> with <c>{"tenant":"blog"}</c> (operator): 201 with the tenant's first key, shown once.</summary>
    public static Task<IResult> CreateTenantAsync(HttpRequest request, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.CreateTenantRequest, TenantShape, cancellationToken).ConfigureAwait(false);
            var tenant = TenantName(body.Tenant);
            var issued = tenant == CounterKey.DefaultTenant ? null : await directory.CreateTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
            if (issued is null)
            {
                return Problems.Conflict($"The tenant '{tenant}' exists.");
            }

            SetLocation(request, $"/tenants/{Uri.EscapeDataString(tenant)}");
            return TypedResults.Json(KeyIssued(issued), CounterApiJsonContext.Readable.TenantKeyIssued, statusCode: StatusCodes.Status201Created);
        });

    /// <summary><c>GET /tenants?continuationToken=…&amp;pageSize=n</c> (operator): the tenants by name, up to 1,000 a page.</summary>
    public static Task<IResult> ListTenantsAsync(HttpRequest request, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var pageSize = QueryParameters.OptionalInt32(request, "pageSize", 1, ITenantStore.MaxPageSize + 1) ?? ITenantStore.MaxPageSize;
            var token = QueryParameters.OptionalString(request, "continuationToken");
            var page = await directory.ListTenantsAsync(token, pageSize, cancellationToken).ConfigureAwait(false);
            var tenants = page.Tenants.Select(static tenant => new TenantSummary(tenant.Tenant, tenant.CreatedAt)).ToList();
            return TypedResults.Json(new TenantList(tenants, page.ContinuationToken), CounterApiJsonContext.Readable.TenantList);
        });

    /// <summary>
    /// <c>DELETE /tenants/{tenant}</c> (operator): 204. Every global partition drops the tenant's totals and snapshot rows
    /// and, from then on, the deltas of its counters that shards still flush; then its counters, keys and rows go.
    /// </summary>
    public static Task<IResult> DeleteTenantAsync(HttpRequest request, string tenant, ICounterBackend backend, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            await ExistingTenantAsync(tenant, directory, cancellationToken).ConfigureAwait(false);
            foreach (var partition in GlobalPartitions.All(backend.Options.GlobalPartitions))
            {
                await backend.SignalAsync(partition, GlobalOperations.DeleteTenant, new DeleteTenant(tenant), cancellationToken).ConfigureAwait(false);
            }

            await directory.DeleteTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
            await backend.Snapshots.RemoveTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        });

    /// <summary>
    /// <c>POST /tenants/{tenant}</c> with <c>{"counter":"likes","initialValue":0}</c> (operator or tenant key): 201. The
    /// initial value is on the read path before the answer; the global entity starts the total there.
    /// </summary>
    public static Task<IResult> CreateCounterAsync(HttpRequest request, string tenant, ICounterBackend backend, ApiKeyAccess access, TenantDirectory directory, TimeProvider time, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            await ExistingTenantAsync(tenant, directory, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.CreateCounterRequest, CounterShape, cancellationToken).ConfigureAwait(false);
            var key = CounterKey.Create(tenant, body.Counter);
            var now = time.GetUtcNow();
            var record = new CounterRecord(key, body.InitialValue ?? 0, now);
            if (!await directory.CreateCounterAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return Problems.Conflict($"The counter '{key.Name}' exists in the tenant '{tenant}'.");
            }

            try
            {
                // Version 0: any snapshot of the global entity, which numbers its snapshots from 1, supersedes it.
                await backend.Snapshots.WriteAsync(new SnapshotBatch(0, now, [new SnapshotRow(key, record.InitialValue, 0, now)]), cancellationToken).ConfigureAwait(false);
                var global = GlobalPartitions.AddressOf(key, backend.Options.GlobalPartitions);
                await backend.SignalAsync(global, GlobalOperations.Create, new CreateCounter(key, record.InitialValue), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Not created after all, so that a retry creates it whole rather than meeting a 409.
                await directory.DeleteCounterAsync(key, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            SetLocation(request, $"/tenants/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(key.Name)}");
            return TypedResults.Json(new TenantCounterValue(tenant, key.Name, record.InitialValue, now), CounterApiJsonContext.Readable.TenantCounterValue, statusCode: StatusCodes.Status201Created);
        });

    /// <summary><c>GET /tenants/{tenant}?continuationToken=…&amp;pageSize=n</c> (operator or tenant key): the tenant's counters from the read path.</summary>
    public static Task<IResult> ListTenantCountersAsync(HttpRequest request, string tenant, ICounterBackend backend, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            await ExistingTenantAsync(tenant, directory, cancellationToken).ConfigureAwait(false);
            var page = await ReadCounterPageAsync(request, tenant, backend, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new TenantCounterPage(tenant, page.Counters, page.ContinuationToken), CounterApiJsonContext.Readable.TenantCounterPage);
        });

    /// <summary><c>GET /tenants/{tenant}/{counter}</c> (public): the counter's value on the read path; 404 unless it was created.</summary>
    public static Task<IResult> GetTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var record = await ExistingCounterAsync(tenant, counter, directory, cancellationToken).ConfigureAwait(false);
            var row = await backend.Snapshots.ReadAsync(record.Counter, cancellationToken).ConfigureAwait(false);
            var body = row is null
                ? new TenantCounterValue(tenant, counter, record.InitialValue, record.CreatedAt)
                : new TenantCounterValue(tenant, counter, row.Value, row.UpdatedAt);
            return TypedResults.Json(body, CounterApiJsonContext.Readable.TenantCounterValue);
        });

    /// <summary><c>POST /tenants/{tenant}/{counter}/inc?delta=n</c> (public): 202 once durable, as <c>/increment</c>; 404 unless the counter was created.</summary>
    public static Task<IResult> IncrementTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var delta = QueryParameters.OptionalInt64(request, "delta", 1);
            var record = await ExistingCounterAsync(tenant, counter, directory, cancellationToken).ConfigureAwait(false);
            var shard = await SignalIncrementsAsync(request, [new Increment(record.Counter, delta)], backend, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new TenantIncrementAccepted(tenant, counter, shard), CounterApiJsonContext.Readable.TenantIncrementAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>DELETE /tenants/{tenant}/{counter}</c> (operator or tenant key): 204. Its global partition drops the total and the
    /// snapshot row, and the deltas shards still flush for it; public routes answer 404 for it at once.
    /// </summary>
    public static Task<IResult> DeleteTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            var record = await ExistingCounterAsync(tenant, counter, directory, cancellationToken).ConfigureAwait(false);
            var global = GlobalPartitions.AddressOf(record.Counter, backend.Options.GlobalPartitions);
            await backend.SignalAsync(global, GlobalOperations.Delete, new DeleteCounter(record.Counter), cancellationToken).ConfigureAwait(false);
            await directory.DeleteCounterAsync(record.Counter, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        });

    /// <summary><c>POST /tenants/{tenant}/keys</c> (operator or tenant key): 201 with another key of the tenant; the others keep working.</summary>
    public static Task<IResult> IssueTenantKeyAsync(HttpRequest request, string tenant, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            var issued = await directory.IssueKeyAsync(TenantName(tenant), cancellationToken).ConfigureAwait(false);
            return issued is null
                ? Problems.NotFound($"There is no tenant '{tenant}'.")
                : TypedResults.Json(KeyIssued(issued), CounterApiJsonContext.Readable.TenantKeyIssued, statusCode: StatusCodes.Status201Created);
        });

    /// <summary><c>DELETE /tenants/{tenant}/keys/{keyId}</c> (operator or tenant key): 204; the key is refused from then on.</summary>
    public static Task<IResult> RevokeTenantKeyAsync(HttpRequest request, string tenant, string keyId, ApiKeyAccess access, TenantDirectory directory, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            return await directory.RevokeKeyAsync(TenantName(tenant), keyId, cancellationToken).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : Problems.NotFound($"The tenant '{tenant}' has no key '{keyId}'.");
        });

    private static void SetLocation(HttpRequest request, string path) => request.HttpContext.Response.Headers.Location = path;

    private static TenantKeyIssued KeyIssued(IssuedKey issued) =>
        new(issued.Record.Tenant, issued.Record.KeyId, issued.Key, issued.Record.CreatedAt);

    /// <summary>A tenant name by the rules of counter keys (so that it is a valid Table Storage key), or 400.</summary>
    private static string TenantName(string? tenant) => CounterKey.Create(tenant, "-").Tenant;

    private static async Task ExistingTenantAsync(string tenant, TenantDirectory directory, CancellationToken cancellationToken)
    {
        if (await directory.FindTenantAsync(TenantName(tenant), cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ResourceNotFoundException($"There is no tenant '{tenant}'.");
        }
    }

    private static async Task<CounterRecord> ExistingCounterAsync(string tenant, string counter, TenantDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindCounterAsync(CounterKey.Create(tenant, counter), cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException($"There is no counter '{counter}' in the tenant '{tenant}': counters of a tenant are created with POST /tenants/{{tenant}}.");
}
