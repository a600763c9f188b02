using Counter.Durable;
using Counter.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the contract's IResult as they are.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddDurableCounters(builder.Configuration);

// The per-address limit of the public routes, per instance (the Functions host's own throttles are in host.json).
builder.UseMiddleware<PerAddressRateLimitMiddleware>();

builder.Build().Run();
