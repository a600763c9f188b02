using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Counter.Testing;

/// <summary>
/// A host of ours running as a child process on a free 127.0.0.1 port; killed on dispose if still running. It is the
/// executable named by the host's environment variable when set (tests/run publishes the server's native executable,
/// so its tests run the binary that is deployed), else the framework-dependent build next to the tests.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private HostProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>A client of this process that sends the operator key of <see cref="TestKeys"/>.</summary>
    public HttpClient CreateClient() => new HttpClient { BaseAddress = Address }.Sending(TestKeys.Operator);

    /// <summary>What the process wrote to standard output and standard error so far.</summary>
    public string Output => string.Join('\n', output);

    public static async Task<HostProcess> StartAsync(HostProgram program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var server = Launch(program, arguments);
        try
        {
            await server.WhenHealthyAsync(cancellationToken);
            return server;
        }
        catch (OperationCanceledException cancelled)
        {
            server.Dispose();
            throw new TimeoutException($"{program.Project} was not healthy in time. It wrote:\n{server.Output}", cancelled);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts the process without waiting for it to be healthy.</summary>
    public static HostProcess Launch(HostProgram program, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(program);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var (executable, leadingArguments) = program.ExecutableVariable is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } published
            ? (published, Array.Empty<string>())
            : ("dotnet", [DllOf(program.Project)]);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(leadingArguments.FirstOrDefault() ?? executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[.. leadingArguments, "--urls", address.ToString(), TestKeys.OperatorSetting,
            $"--RateLimits:PerAddress:TokensPerPeriod={TestKeys.UnlimitedTokens}", $"--RateLimits:PerAddress:Burst={TestKeys.UnlimitedTokens}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The process {executable} of {program.Project} did not start.");
        var server = new HostProcess(process, address);
        process.OutputDataReceived += (_, line) => server.Record(line.Data);
        process.ErrorDataReceived += (_, line) => server.Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the process to exit by itself; its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as a container runtime or systemd stops a process: the host shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!ProcessSignals.TrySend(process, "TERM"))
        {
            throw new InvalidOperationException($"kill -TERM {process.Id} failed.");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or a power cut of the process.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private async Task WhenHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/healthz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    // Built next to this test assembly under artifacts/bin/<project>/<configuration>/.
    private static string DllOf(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testOutput.Parent!.Parent!.FullName, project, testOutput.Name, $"{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/{project} first.", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
