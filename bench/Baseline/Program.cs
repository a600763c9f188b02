using System.Collections.Concurrent;
using System.Text.Json;
using Counter.Baseline;

// Same framework and Release settings as the service, and the same routes and body format for increments,
// but no shards, no entity runtime and no JSON answers: what is left is the cost of Kestrel and routing alone.
// GET /counters/{counter} reads the same dictionary and answers the service's JSON: the ceiling of a read served
// from memory, against which the service's read cache is measured. A tenant's counter is the entry "tenant/counter"
// (the service's key), read by GET /tenants/{tenant}/{counter} and incremented by POST /tenants/{tenant}/{counter}/inc
// as /increment does: the tenant routes are measured against their own routes here (bench/run), not created first.
// With --Durable=true every increment is also group-committed to a SQLite file before its 202 (DurableLog):
// the least that a durable ack costs on this machine.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var counters = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
var started = DateTimeOffset.UtcNow;
using var log = app.Configuration.GetValue<bool>("Durable")
    ? new DurableLog(app.Configuration["DataPath"] ?? throw new InvalidOperationException("--Durable=true needs --DataPath=FILE."))
    : null;

app.MapGet("/healthz", () => Results.Ok());

// A read route of the service is one line here, over Read.
app.MapGet("/counters/{counter}", (string counter) => Read(counter));
app.MapGet("/tenants/{tenant}/{counter}", (string tenant, string counter) => counters.TryGetValue($"{tenant}/{counter}", out var value)
    ? Results.Json(new TenantCounterValue(tenant, counter, value, started, "sharded"), BaselineJsonContext.Default.TenantCounterValue)
    : Results.NotFound());

app.MapPost("/increment/{counter}", async (string counter) =>
{
    await AddAsync(counter, 1);
    return Results.Accepted();
});

// The same single increment as /increment, answered the same; the service's strict inc is measured against it.
app.MapPost("/tenants/{tenant}/{counter}/inc", async (string tenant, string counter, long? delta) =>
{
    await AddAsync($"{tenant}/{counter}", delta ?? 1);
    return Results.Accepted();
});

// The body is the service's: one JSON object of counter names to integer deltas.
app.MapPost("/increments", async (HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    var added = new List<Task>();
    foreach (var property in body.RootElement.EnumerateObject())
    {
        added.Add(AddAsync(property.Name, property.Value.GetInt64()));
    }

    await Task.WhenAll(added);
    return Results.Accepted();
});

// An OTLP/HTTP sink for bench/run --edge: the service with telemetry on exports to it, and what it sends is dropped.
app.MapPost("/v1/{signal}", () => Results.Ok());

app.Run();

IResult Read(string counter) => counters.TryGetValue(counter, out var value)
    ? Results.Json(new CounterValue(counter, value, 1, started), BaselineJsonContext.Default.CounterValue)
    : Results.NotFound();

async Task AddAsync(string counter, long delta)
{
    if (log is not null)
    {
        await log.AppendAsync(counter, delta);
    }

    counters.AddOrUpdate(counter, static (_, delta) => delta, static (_, total, delta) => total + delta, delta);
}
