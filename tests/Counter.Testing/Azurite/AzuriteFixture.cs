using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Counter.Testing.Azurite;

/// <summary>
/// A real Azurite for the tests: the repository's pinned <c>azurite</c> (installed by <c>npm ci</c>), on 127.0.0.1 and
/// free ports, with its data in a fresh folder under <c>artifacts/</c>. This one runs the Table service only; an
/// <see cref="AzuriteAccountFixture"/> runs blob, queue and table, a whole storage account. It can be stopped and
/// started again on the same data (outage tests), and is killed and its folder removed on dispose.
/// </summary>
public class AzuriteFixture : IDisposable
{
    /// <summary>Azurite's well-known development account key (public, documented for the emulator).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string AccountName = "devstoreaccount1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly string script;
    private readonly bool wholeAccount;
    private readonly StringBuilder output = new();
    private Process? process;

    public AzuriteFixture()
        : this(wholeAccount: false)
    {
    }

    protected AzuriteFixture(bool wholeAccount)
    {
        var root = RepositoryRoot();
        this.wholeAccount = wholeAccount;
        script = Path.Combine(root, "node_modules", "azurite", "dist", "src", wholeAccount ? "azurite.js" : Path.Combine("table", "main.js"));
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: run `npm ci` in {root} (the Azure Storage tests need it; {script} is missing).");
        }

        DataFolder = Path.Combine(root, "artifacts", "azurite", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        Port = FreePort();
        BlobPort = wholeAccount ? FreePort() : 0;
        QueuePort = wholeAccount ? FreePort() : 0;
        Start();
    }

    /// <summary>The Table service's port.</summary>
    public int Port { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public string DataFolder { get; }

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString => ConnectionStringWithKey(AccountKey);

    public bool IsRunning => process is { HasExited: false };

    /// <summary>A connection string for this Azurite with another key, e.g. a wrong one.</summary>
    public string ConnectionStringWithKey(string accountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey};TableEndpoint={TableEndpoint}"
        + (wholeAccount ? $";BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName}" : "");

    /// <summary>Starts Azurite on the same ports and data folder and returns once it accepts connections.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        string[] services = wholeAccount
            ? ["--blobHost", "127.0.0.1", "--blobPort", Text(BlobPort), "--queueHost", "127.0.0.1", "--queuePort", Text(QueuePort), "--tableHost", "127.0.0.1", "--tablePort", Text(Port)]
            : ["--tableHost", "127.0.0.1", "--tablePort", Text(Port)];
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataFolder,
        };
        foreach (var argument in (string[])[script, "--disableTelemetry", "--silent", "--skipApiVersionCheck", .. services, "--location", DataFolder])
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        process.OutputDataReceived += (_, line) => Remember(line.Data);
        process.ErrorDataReceived += (_, line) => Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        foreach (var port in (int[])[Port, BlobPort, QueuePort])
        {
            if (port != 0)
            {
                WaitUntilListening(port);
            }
        }
    }

    /// <summary>Stops Azurite the way Ctrl+C does, so that it saves its data, and waits until it exited.</summary>
    public void Stop()
    {
        if (!IsRunning)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            ProcessSignals.TrySend(process!, "INT");
        }

        if (OperatingSystem.IsWindows() || !process!.WaitForExit(StopTimeout))
        {
            process!.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (IsRunning)
        {
            process!.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; artifacts/ is scratch space, so leaving it is harmless.
        }
    }

    private void WaitUntilListening(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} on start:\n{Output()}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        process!.Kill(entireProcessTree: true);
        throw new TimeoutException($"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout}:\n{Output()}");
    }

    private void Remember(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Text(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "package.json")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No package.json above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    }
}
