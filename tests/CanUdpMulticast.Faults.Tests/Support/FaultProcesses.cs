using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>The battery's child processes, through the shared <see cref="ChildProcess"/> launcher.</summary>
public static class FaultProcesses
{
    /// <summary>The battery's agent (tests/CanUdpMulticast.Faults.Agent), in the caller's namespace or in <paramref name="netnsPath"/>.</summary>
    public static ChildProcess Agent(string? netnsPath, params string[] arguments) =>
        ChildProcess.Start(netnsPath, "dotnet", [Path.Combine(AppContext.BaseDirectory, "CanUdpMulticast.Faults.Agent.dll"), .. arguments]);

    /// <summary>A python-can 4.1.0 script of this project's python/ folder under Debian's /usr/bin/python3.</summary>
    public static ChildProcess Python(string? netnsPath, string script, params string[] arguments) =>
        ChildProcess.Start(netnsPath, "/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "python", script), .. arguments]);
}
