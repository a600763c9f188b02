using Counter.Testing;

namespace Counter.Server.Tests;

/// <summary>The embedded host as a process over a data folder of the test's.</summary>
internal static class ServerProcess
{
    public static Task<HostProcess> StartAsync(string dataPath, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        HostProcess.StartAsync(HostProgram.Server, [$"--Storage:DataPath={dataPath}", .. arguments], cancellationToken);

    public static HostProcess Launch(string dataPath, IEnumerable<string> arguments) =>
        HostProcess.Launch(HostProgram.Server, [$"--Storage:DataPath={dataPath}", .. arguments]);
}
