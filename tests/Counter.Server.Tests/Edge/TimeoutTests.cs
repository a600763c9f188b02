using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Edge;

/// <summary>A request past its group's timeout is cancelled and answered 504 problem details.</summary>
public sealed class TimeoutTests
{
    /// <summary>2 s: long enough for a cold request to reach the backend on a loaded machine before it runs out.</summary>
    [Fact]
    public async Task A_request_past_its_timeout_gets_504_and_its_work_is_cancelled()
    {
        await using var server = new CounterServerFactory()
            .WithSetting("Throttling:PublicIncrements:RequestTimeout", "00:00:02")
            .WithServices(GatedBackend.Install);
        using var client = server.CreateClient();
        var backend = server.Services.GetRequiredService<GatedBackend>();

        var answer = client.PostAsync(new Uri("/increment/slow", UriKind.Relative), null);
        var arrival = await backend.NextArrivalAsync();
        using var response = await answer;

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(504, problem.GetProperty("status").GetInt32());
        Assert.True(arrival.Token.IsCancellationRequested);
        Assert.False(arrival.Gate.Task.IsCompleted);
    }
}
