using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Counter.LoadDriver;

/// <summary>
/// Runs the service's own entry point (its built Release dll) in this process, on 127.0.0.1, so that
/// <see cref="MetricTotals"/> sees its instruments. Shared framework assemblies come from this process's framework, so
/// the service's meters are the very ones the listener listens to. It stops when the driver exits.
/// </summary>
internal static class InProcessServer
{
    public static Uri Start(string serverDll, IReadOnlyList<string> serverArguments)
    {
        var path = Path.GetFullPath(serverDll);
        var resolver = new AssemblyDependencyResolver(path);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } resolved ? context.LoadFromAssemblyPath(resolved) : null;
        // SQLite's native library is one of the service's dependencies, not the driver's.
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.ResolveUnmanagedDllToPath(name) is { } resolved ? NativeLibrary.Load(resolved) : IntPtr.Zero;
        var entryPoint = AssemblyLoadContext.Default.LoadFromAssemblyPath(path).EntryPoint
            ?? throw new InvalidOperationException($"{serverDll} has no entry point.");

        // The service finds its configuration files next to itself, as when it is started on its own.
        Directory.SetCurrentDirectory(Path.GetDirectoryName(path)!);
        var url = $"http://127.0.0.1:{FreePort()}";
        string[] arguments = ["--urls", url, .. serverArguments];
        var thread = new Thread(() => entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [arguments]))
        {
            IsBackground = true,
            Name = "in-process service",
        };
        thread.Start();
        return new Uri(url + "/");
    }

    public static async Task WaitUntilHealthyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("healthz", cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException("The in-process service did not answer /healthz within 30 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
