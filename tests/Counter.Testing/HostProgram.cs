namespace Counter.Testing;

/// <summary>A host of ours that tests run as a process: its project, and the variable that may name a published executable of it.</summary>
public sealed record HostProgram(string Project, string? ExecutableVariable = null)
{
    /// <summary>The embedded host; <c>COUNTER_SERVER_EXECUTABLE</c> names its native executable when tests/run published one.</summary>
    public static HostProgram Server { get; } = new("Counter.Server", "COUNTER_SERVER_EXECUTABLE");

    /// <summary>The Durable Task host, framework-dependent.</summary>
    public static HostProgram DurableHost { get; } = new("Counter.DurableHost");
}
