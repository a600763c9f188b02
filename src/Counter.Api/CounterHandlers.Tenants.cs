using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    private const string TenantShape = """a JSON object {"tenant":"name"}""";
    private const string CounterShape = """a JSON object {"counter":"name","initialValue":integer,"mode":"sharded"|"strict"} (initialValue optional, 0 by default, a 64-bit integer; mode optional, sharded by default)""";

    /// <summary><c>POST /tenants</c> with <c>{"tenant":"blog"}</c> (operator): 201 with the tenant's first key, shown once.</summary>
    public static Task<IResult> CreateTenantAsync(HttpRequest request, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, Tenant, authorize: () => tenants.Access.RequireOperatorAsync(request, cancellationToken), handle: async _ =>
        {
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.CreateTenantRequest, TenantShape, cancellationToken).ConfigureAwait(false);
            var tenant = TenantName(body.Tenant);
            var issued = tenant == CounterKey.DefaultTenant ? null : await tenants.Directory.CreateTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
            if (issued is null)
            {
                return Problems.Conflict($"The tenant '{tenant}' exists.");
            }

            SetLocation(request, $"/tenants/{Uri.EscapeDataString(tenant)}");
            return TypedResults.Json(KeyIssued(issued), CounterApiJsonContext.Readable.TenantKeyIssued, statusCode: StatusCodes.Status201Created);
        });

    /// <summary><c>GET /tenants?continuationToken=…&amp;pageSize=n</c> (operator): the tenants by name, up to 1,000 a page.</summary>
    public static Task<IResult> ListTenantsAsync(HttpRequest request, TenantServices tenants, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await tenants.Access.RequireOperatorAsync(request, cancellationToken).ConfigureAwait(false);
            var pageSize = QueryParameters.OptionalInt32(request, "pageSize", 1, ITenantStore.MaxPageSize + 1) ?? ITenantStore.MaxPageSize;
            var token = QueryParameters.OptionalString(request, "continuationToken");
            var page = await tenants.Directory.ListTenantsAsync(token, pageSize, cancellationToken).ConfigureAwait(false);
            var list = page.Tenants.Select(static tenant => new TenantSummary(tenant.Tenant, tenant.CreatedAt)).ToList();
            return TypedResults.Json(new TenantList(list, page.ContinuationToken), CounterApiJsonContext.Readable.TenantList);
        });

    /// <summary>
    /// <c>DELETE /tenants/{tenant}</c> (operator): 204. Every global partition drops the tenant's totals and snapshot rows
    /// and, from then on, the deltas of its counters that shards still flush; then its counters, keys and rows go.
    /// </summary>
    public static Task<IResult> DeleteTenantAsync(HttpRequest request, string tenant, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, Tenant, authorize: () => tenants.Access.RequireOperatorAsync(request, cancellationToken), handle: async _ =>
        {
            await ExistingTenantAsync(tenant, tenants.Directory, cancellationToken).ConfigureAwait(false);
            await ForgetAsync(backend, new ForgetCounters(null, tenant), cancellationToken).ConfigureAwait(false);
            await tenants.Directory.DeleteTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
            await tenants.Mirror.RemoveTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        });

    /// <summary>
    /// <c>POST /tenants/{tenant}</c> with <c>{"counter":"likes","initialValue":0,"mode":"sharded"}</c> (operator or tenant
    /// key): 201. The initial value is readable before the answer: a sharded counter's on the read path, where the global
    /// entity starts its total; a strict counter's in its record.
    /// </summary>
    public static Task<IResult> CreateCounterAsync(HttpRequest request, string tenant, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), authorize: () => tenants.Access.RequireTenantAsync(request, tenant, cancellationToken), handle: async _ =>
        {
            await ExistingTenantAsync(tenant, tenants.Directory, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.CreateCounterRequest, CounterShape, cancellationToken).ConfigureAwait(false);
            var key = CounterKey.Create(tenant, body.Counter);
            var mode = ModeOf(body.Mode);
            var now = tenants.Time.GetUtcNow();
            var record = new CounterRecord(key, body.InitialValue ?? 0, now, mode);
            if (!await tenants.Directory.CreateCounterAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return Problems.Conflict($"The counter '{key.Name}' exists in the tenant '{tenant}'.");
            }

            try
            {
                // Version 0 for a sharded counter: any snapshot of its global entity, numbered from 1, supersedes it.
                await backend.Snapshots.WriteAsync(new SnapshotBatch(0, now, [new SnapshotRow(key, record.InitialValue, StrictVersion(mode, now), now)]), cancellationToken).ConfigureAwait(false);
                if (mode == CounterMode.Sharded)
                {
                    var global = GlobalPartitions.AddressOf(key, backend.Options.GlobalPartitions);
                    await backend.SignalAsync(global, GlobalOperations.Create, new CreateCounter(key, record.InitialValue), cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                // Not created after all, so that a retry creates it whole rather than meeting a 409.
                await tenants.Directory.DeleteCounterAsync(key, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            SetLocation(request, $"/tenants/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(key.Name)}");
            return TypedResults.Json(new TenantCounterValue(tenant, key.Name, record.InitialValue, now, NameOf(mode)), CounterApiJsonContext.Readable.TenantCounterValue, statusCode: StatusCodes.Status201Created);
        });

    /// <summary><c>GET /tenants/{tenant}?prefix=…&amp;continuationToken=…&amp;pageSize=n</c> (operator or tenant key): the tenant's counters from the read path.</summary>
    public static Task<IResult> ListTenantCountersAsync(HttpRequest request, string tenant, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            await tenants.Access.RequireTenantAsync(request, tenant, cancellationToken).ConfigureAwait(false);
            await ExistingTenantAsync(tenant, tenants.Directory, cancellationToken).ConfigureAwait(false);
            var page = await ReadCounterPageAsync(request, tenant, backend, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new TenantCounterPage(tenant, page.Counters, page.ContinuationToken), CounterApiJsonContext.Readable.TenantCounterPage);
        });

    /// <summary>
    /// <c>GET /tenants/{tenant}/{counter}</c> (public): a strict counter's exact value; a sharded counter's value on the read
    /// path, or with <c>?consistency=strong</c> its total now (<see cref="ICounterBackend.ReadTotalAsync"/>: exact on a host
    /// that reads its queues with the states). 404 unless the counter was created.
    /// </summary>
    public static Task<IResult> GetTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var strong = Consistency(request);
            var record = await ExistingCounterAsync(tenant, counter, tenants.Directory, cancellationToken).ConfigureAwait(false);
            TenantCounterValue body;
            if (record.Mode == CounterMode.Strict)
            {
                var held = await tenants.Strict.ReadStrictAsync(record.Counter, cancellationToken).ConfigureAwait(false)
                    ?? throw new ResourceNotFoundException($"There is no counter '{counter}' in the tenant '{tenant}'.");
                body = new TenantCounterValue(tenant, counter, held.Value, held.UpdatedAt, NameOf(CounterMode.Strict));
            }
            else if (strong)
            {
                var total = await backend.ReadTotalAsync(record.Counter, cancellationToken).ConfigureAwait(false);
                body = new TenantCounterValue(tenant, counter, total, tenants.Time.GetUtcNow(), NameOf(CounterMode.Sharded));
            }
            else
            {
                var row = await backend.Snapshots.ReadAsync(record.Counter, cancellationToken).ConfigureAwait(false);
                body = row is null
                    ? new TenantCounterValue(tenant, counter, record.InitialValue, record.CreatedAt, NameOf(CounterMode.Sharded))
                    : new TenantCounterValue(tenant, counter, row.Value, row.UpdatedAt, NameOf(CounterMode.Sharded));
            }

            return TypedResults.Json(body, CounterApiJsonContext.Readable.TenantCounterValue);
        });

    /// <summary>
    /// <c>POST /tenants/{tenant}/{counter}/inc?delta=n</c> (public): a sharded counter answers 202 once the increment is
    /// durable, as <c>/increment</c>; a strict one 200 with its value after it. 404 unless the counter was created.
    /// </summary>
    public static Task<IResult> IncrementTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        ChangeByAsync(request, tenant, counter, OperationKind.Inc, backend, tenants, cancellationToken);

    /// <summary><c>POST /tenants/{tenant}/{counter}/dec?delta=n</c> (public): as <c>inc</c>, subtracting.</summary>
    public static Task<IResult> DecrementTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        ChangeByAsync(request, tenant, counter, OperationKind.Dec, backend, tenants, cancellationToken);

    /// <summary>
    /// <c>PUT /tenants/{tenant}/{counter}</c> with <c>{"value":n}</c> (operator or tenant key): a strict counter answers 200
    /// with its value; a sharded one 202 once its global entity has the set to apply (increments still buffered in shards
    /// then add to the value set).
    /// </summary>
    public static Task<IResult> SetTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), authorize: () => tenants.Access.RequireTenantAsync(request, tenant, cancellationToken), handle: async idempotency =>
        {
            var body = await JsonBody.ReadAsync(request, RequestJsonContext.Default.SetCounterRequest, """a JSON object {"value":integer}""", cancellationToken).ConfigureAwait(false);
            var value = body.Value ?? throw new RequestValidationException("value", "'value' is required: the integer to set the counter to.");
            var record = await ExistingCounterAsync(tenant, counter, tenants.Directory, cancellationToken).ConfigureAwait(false);
            if (record.Mode == CounterMode.Strict)
            {
                return await StrictSingleAsync(request, tenant, new CounterOperation(OperationKind.Set, record.Counter.Name, value), tenants, idempotency, cancellationToken).ConfigureAwait(false);
            }

            var global = GlobalPartitions.AddressOf(record.Counter, backend.Options.GlobalPartitions);
            await backend.SignalAsync(global, GlobalOperations.Set, new SetCounter(record.Counter, value), cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new TenantSetAccepted(tenant, counter, value), CounterApiJsonContext.Readable.TenantSetAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// <c>DELETE /tenants/{tenant}/{counter}</c> (operator or tenant key): 204. A sharded counter's global partition drops
    /// the total and the snapshot row, and the deltas shards still flush for it; public routes answer 404 for it at once.
    /// </summary>
    public static Task<IResult> DeleteTenantCounterAsync(HttpRequest request, string tenant, string counter, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), authorize: () => tenants.Access.RequireTenantAsync(request, tenant, cancellationToken), handle: async _ =>
        {
            var record = await ExistingCounterAsync(tenant, counter, tenants.Directory, cancellationToken).ConfigureAwait(false);
            if (record.Mode == CounterMode.Sharded)
            {
                await ForgetAsync(backend, new ForgetCounters([record.Counter], null), cancellationToken).ConfigureAwait(false);
            }

            await tenants.Directory.DeleteCounterAsync(record.Counter, cancellationToken).ConfigureAwait(false);
            if (record.Mode == CounterMode.Strict)
            {
                await MirrorStrictRemovalAsync(tenants, record.Counter, cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.NoContent();
        });

    /// <summary><c>POST /tenants/{tenant}/keys</c> (operator or tenant key): 201 with another key of the tenant; the others keep working.</summary>
    public static Task<IResult> IssueTenantKeyAsync(HttpRequest request, string tenant, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), authorize: () => tenants.Access.RequireTenantAsync(request, tenant, cancellationToken), handle: async _ =>
        {
            var issued = await tenants.Directory.IssueKeyAsync(TenantName(tenant), cancellationToken).ConfigureAwait(false);
            return issued is null
                ? Problems.NotFound($"There is no tenant '{tenant}'.")
                : TypedResults.Json(KeyIssued(issued), CounterApiJsonContext.Readable.TenantKeyIssued, statusCode: StatusCodes.Status201Created);
        });

    /// <summary><c>DELETE /tenants/{tenant}/keys/{keyId}</c> (operator or tenant key): 204; the key is refused from then on.</summary>
    public static Task<IResult> RevokeTenantKeyAsync(HttpRequest request, string tenant, string keyId, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), authorize: () => tenants.Access.RequireTenantAsync(request, tenant, cancellationToken), handle: async _ =>
            await tenants.Directory.RevokeKeyAsync(TenantName(tenant), keyId, cancellationToken).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : Problems.NotFound($"The tenant '{tenant}' has no key '{keyId}'."));

    private static Task<IResult> ChangeByAsync(HttpRequest request, string tenant, string counter, OperationKind kind, ICounterBackend backend, TenantServices tenants, CancellationToken cancellationToken) =>
        Mutation(request, tenants.Idempotency, ScopeOf(tenant), async idempotency =>
        {
            var delta = QueryParameters.OptionalInt64(request, "delta", 1);
            var record = await ExistingCounterAsync(tenant, counter, tenants.Directory, cancellationToken).ConfigureAwait(false);
            if (record.Mode == CounterMode.Strict)
            {
                return await StrictSingleAsync(request, tenant, new CounterOperation(kind, record.Counter.Name, delta), tenants, idempotency, cancellationToken).ConfigureAwait(false);
            }

            var signed = kind == OperationKind.Inc ? delta
                : delta == long.MinValue ? throw new RequestValidationException("delta", $"'delta' of a decrement must be above {long.MinValue}.")
                : -delta;
            var shard = await SignalIncrementsAsync(request, [new Increment(record.Counter, signed)], backend, idempotency, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(new TenantIncrementAccepted(tenant, counter, shard), CounterApiJsonContext.Readable.TenantIncrementAccepted, statusCode: StatusCodes.Status202Accepted);
        });

    /// <summary>
    /// Deleted counters leave the entities: their global partitions drop the totals and snapshot rows (and, for a day,
    /// the deltas still flushed for them), and every shard drops what it buffers for them, so that a counter created
    /// again under the same name starts from its own initial value.
    /// </summary>
    private static async Task ForgetAsync(ICounterBackend backend, ForgetCounters deleted, CancellationToken cancellationToken)
    {
        if (deleted.Tenant is { } tenant)
        {
            foreach (var partition in GlobalPartitions.All(backend.Options.GlobalPartitions))
            {
                await backend.SignalAsync(partition, GlobalOperations.DeleteTenant, new DeleteTenant(tenant), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var counter in deleted.Counters ?? [])
        {
            var global = GlobalPartitions.AddressOf(counter, backend.Options.GlobalPartitions);
            await backend.SignalAsync(global, GlobalOperations.Delete, new DeleteCounter(counter), cancellationToken).ConfigureAwait(false);
        }

        // Every shard of the current count too, not only those with state: an add on its way may not have made its shard yet.
        var existing = await backend.ListEntitiesAsync(EntityAddress.ShardName, cancellationToken).ConfigureAwait(false);
        var shards = existing.Union(Enumerable.Range(0, backend.Options.ShardCount).Select(EntityAddress.Shard));
        foreach (var shard in shards)
        {
            await backend.SignalAsync(shard, ShardOperations.Forget, deleted, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TenantKeyIssued KeyIssued(IssuedKey issued) =>
        new(issued.Record.Tenant, issued.Record.KeyId, issued.Key, issued.Record.CreatedAt);

    private static void SetLocation(HttpRequest request, string path) => request.HttpContext.Response.Headers.Location = path;

    /// <summary>A tenant name by the rules of counter keys (so that it is a valid Table Storage key), or 400.</summary>
    private static string TenantName(string? tenant) => CounterKey.Create(tenant, "-").Tenant;

    /// <summary>Where a route's idempotency keys are kept: its tenant's; an invalid name is refused by the route itself.</summary>
    private static string ScopeOf(string tenant) => KeyRules.Explain(tenant, KeyRules.MaxTenantLength) is null ? tenant : Tenant;

    private static CounterMode ModeOf(string? mode) => mode switch
    {
        null or "sharded" => CounterMode.Sharded,
        "strict" => CounterMode.Strict,
        _ => throw new RequestValidationException("mode", $"'mode' must be \"sharded\" or \"strict\"; it was \"{mode}\"."),
    };

    private static string NameOf(CounterMode mode) => mode == CounterMode.Strict ? "strict" : "sharded";

    private static bool Consistency(HttpRequest request) => QueryParameters.OptionalString(request, "consistency") switch
    {
        null or "eventual" => false,
        "strong" => true,
        var other => throw new RequestValidationException("consistency", $"'consistency' must be \"eventual\" or \"strong\"; it was \"{other}\"."),
    };

    private static async Task ExistingTenantAsync(string tenant, TenantDirectory directory, CancellationToken cancellationToken)
    {
        if (await directory.FindTenantAsync(TenantName(tenant), cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ResourceNotFoundException($"There is no tenant '{tenant}'.");
        }
    }

    // A ValueTask: the counter is almost always remembered, and a Task would be allocated for every strict or sharded inc.
    private static async ValueTask<CounterRecord> ExistingCounterAsync(string tenant, string counter, TenantDirectory directory, CancellationToken cancellationToken) =>
        await directory.FindCounterAsync(CounterKey.Create(tenant, counter), cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException($"There is no counter '{counter}' in the tenant '{tenant}': counters of a tenant are created with POST /tenants/{{tenant}}.");
}
