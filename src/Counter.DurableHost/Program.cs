using Counter.Api;
using Counter.Durable;
using Counter.DurableHost.TaskHub;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDurableCounters(builder.Configuration);
builder.Services.AddDurableTaskHub(builder.Configuration);
builder.Services.AddOpenApi();

var app = builder.Build();
// Unexpected failures and bodiless status codes (unknown route, wrong method) answer with problem details, never a stack trace.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapHealthChecks("/healthz");
app.MapCounterApi();
app.Run();

/// <summary>The entry point, visible to tests (WebApplicationFactory).</summary>
public partial class Program;
