using Counter.Core;
using Microsoft.AspNetCore.Http;

namespace Counter.Api;

public static partial class CounterHandlers
{
    /// <summary><c>GET /counters?prefix=…&amp;continuationToken=…&amp;pageSize=n</c>: totals from the read path, up to 1,000 a page.</summary>
    public static Task<IResult> ListCountersAsync(HttpRequest request, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var page = await ReadCounterPageAsync(request, Tenant, backend, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(page, CounterApiJsonContext.Readable.CounterPage);
        });

    /// <summary>
    /// One page of a tenant's counters from the read path, by the <c>prefix</c>, <c>continuationToken</c> and
    /// <c>pageSize</c> of the query.
    /// </summary>
    private static async Task<CounterPage> ReadCounterPageAsync(HttpRequest request, string tenant, ICounterBackend backend, CancellationToken cancellationToken)
    {
        var pageSize = QueryParameters.OptionalInt32(request, "pageSize", 1, ISnapshotStore.MaxPageSize + 1) ?? ISnapshotStore.MaxPageSize;
        var token = QueryParameters.OptionalString(request, "continuationToken");
        var prefix = QueryParameters.OptionalString(request, KeyRules.PrefixField) is { } text ? NamePrefix.Create(text) : null;
        var page = await backend.Snapshots.ReadPageAsync(tenant, prefix, token, pageSize, cancellationToken).ConfigureAwait(false);
        var counters = new Dictionary<string, long>(page.Rows.Count, StringComparer.Ordinal);
        foreach (var row in page.Rows)
        {
            counters[row.Counter.Name] = row.Value;
        }

        return new CounterPage(counters, page.ContinuationToken);
    }

    /// <summary><c>GET /counters/{counter}</c>: one total from the read path; 404 if it was never snapshotted.</summary>
    public static Task<IResult> GetCounterAsync(HttpRequest request, string counter, ICounterBackend backend, CancellationToken cancellationToken) =>
        Guard(request, async () =>
        {
            var row = await backend.Snapshots.ReadAsync(CounterKey.Create(Tenant, counter), cancellationToken).ConfigureAwait(false);
            return row is null
                ? Problems.NotFound($"The counter '{counter}' has not been counted yet, or its first snapshot is still on its way.")
                : TypedResults.Json(new CounterValue(counter, row.Value, row.Version, row.UpdatedAt), CounterApiJsonContext.Readable.CounterValue);
        });
}
