using System.Diagnostics;
using System.Globalization;

namespace Counter.Testing;

/// <summary>
/// POSIX signals to a child process through the system's <c>kill</c> command: <see cref="Process.Kill()"/> sends only
/// SIGKILL, and the tests also need the signals that let a process stop gracefully.
/// </summary>
internal static class ProcessSignals
{
    /// <summary>Sends <paramref name="signal"/> (e.g. <c>TERM</c>); false when <c>kill</c> failed, as for a process that already exited.</summary>
    public static bool TrySend(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }
}
