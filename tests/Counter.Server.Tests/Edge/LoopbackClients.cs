using System.Net;
using System.Net.Sockets;
using Counter.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Server.Tests.Edge;

/// <summary>
/// Clients of a host on Kestrel (<c>UseKestrel</c>) that connect from a chosen loopback address (127.0.0.1,
/// 127.0.0.2, …), so that the host sees requests from different client addresses without leaving the machine.
/// </summary>
internal static class LoopbackClients
{
    public static HttpClient From(CounterServerFactory server, string localAddress, string? key = TestKeys.Operator)
    {
        var listening = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(listening) }.Sending(key);
    }
}
