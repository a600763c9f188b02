using System.Text.Json;
using Azure.Core.Serialization;
using Counter.Durable;
using Counter.Functions.Entities;
using Counter.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the contract's IResult as they are.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddDurableCounters(builder.Configuration);

// The global entities' states compressed once large, as the Durable Task host stores them (CompactGlobalState).
builder.Services.AddOptions<WorkerOptions>().PostConfigure<IOptions<JsonSerializerOptions>>(static (worker, json) =>
    worker.Serializer = new CompactStateSerializer(worker.Serializer ?? new JsonObjectSerializer(json.Value)));

// The per-address limit of the public routes, per instance (the Functions host's own throttles are in host.json).
builder.UseMiddleware<PerAddressRateLimitMiddleware>();

builder.Build().Run();
