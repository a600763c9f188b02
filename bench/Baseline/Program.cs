using System.Collections.Concurrent;
using System.Text.Json;

// Same framework and Release settings as the service, and the same routes and body format for increments,
// but no shards, no entity runtime and no storage: what is left is the cost of Kestrel and routing alone.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var counters = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

app.MapGet("/healthz", () => Results.Ok());

app.MapPost("/increment/{counter}", (string counter) =>
{
    counters.AddOrUpdate(counter, 1, static (_, total) => total + 1);
    return Results.Accepted();
});

// The body is the service's: one JSON object of counter names to integer deltas.
app.MapPost("/increments", async (HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    foreach (var property in body.RootElement.EnumerateObject())
    {
        var delta = property.Value.GetInt64();
        counters.AddOrUpdate(property.Name, delta, (_, total) => total + delta);
    }

    return Results.Accepted();
});

app.Run();
