using Counter.Durable;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the contract's IResult as they are.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddDurableCounters(builder.Configuration);

builder.Build().Run();
