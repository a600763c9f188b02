using Counter.Api;
using Counter.Server.Runtime;
using Counter.Server.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCounterApi(builder.Configuration);
builder.Services.AddCounterStorage(builder.Configuration);
builder.Services.AddEntityRuntime(builder.Configuration);
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseCounterService();
app.Run();

/// <summary>The entry point, visible to tests (WebApplicationFactory).</summary>
public partial class Program;
