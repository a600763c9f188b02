using Counter.Api;
using Counter.Durable;
using Counter.DurableHost.TaskHub;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDurableCounters(builder.Configuration);
builder.Services.AddDurableTaskHub(builder.Configuration);
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseCounterService();
app.Run();

/// <summary>The entry point, visible to tests (WebApplicationFactory).</summary>
public partial class Program;
