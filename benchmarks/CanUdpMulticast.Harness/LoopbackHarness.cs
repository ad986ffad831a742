using CanUdpMulticast.Harness.Orchestration;
using CanUdpMulticast.Harness.Roles;

namespace CanUdpMulticast.Harness;

/// <summary>
/// The loopback benchmark harness's entry points, used by its own executable (which scripts/bench.sh and
/// <c>canudp bench</c> run). Everything here opens multicast sockets or starts processes that do, so every entry point
/// refuses to run outside the private network namespace of scripts/in-netns.sh (<see cref="IsInsideNamespace"/>);
/// there is deliberately no way around that.
/// </summary>
public static class LoopbackHarness
{
    /// <summary>The variable scripts/in-netns.sh sets to <c>1</c> inside its private network namespace.</summary>
    public const string NamespaceVariable = "CANUDP_NETNS";

    /// <summary>Whether this process runs inside the private network namespace (<see cref="NamespaceVariable"/> is <c>1</c>).</summary>
    public static bool IsInsideNamespace => Environment.GetEnvironmentVariable(NamespaceVariable) == "1";

    /// <summary>The orchestrator's options (for a front end's help and parser).</summary>
    public static IReadOnlyList<HarnessOption> Options => Settings.Options;

    /// <summary>The scenario names <c>--only</c> accepts.</summary>
    public static IReadOnlyList<string> Scenarios => Settings.Scenarios;

    /// <summary>The row keys <c>--systems</c> accepts.</summary>
    public static IReadOnlyList<string> SystemKeys => SystemUnderTest.AllKeys;

    /// <summary>The usage text of the harness's own executable.</summary>
    public static string Usage => Settings.Usage;

    /// <summary>Whether <paramref name="name"/> is a child-process role (<c>send</c>, <c>recv</c>, <c>ping</c>, ...).</summary>
    /// <param name="name">The first argument of the process.</param>
    /// <returns><see langword="true"/> for a role.</returns>
    public static bool IsRole(string name) => RoleHost.IsRole(name);

    /// <summary>Checks orchestrator options without running anything.</summary>
    /// <param name="options">The options, e.g. <c>--quick --only rtt</c>.</param>
    /// <exception cref="HarnessUsageException">An unknown option, a missing or bad value.</exception>
    public static void Validate(IReadOnlyList<string> options) => Settings.Parse(options);

    /// <summary>Runs one benchmark child process: <c>ROLE IMPL --key value ...</c> as the orchestrator starts it.</summary>
    /// <param name="args">The role arguments.</param>
    /// <returns>The exit code (0).</returns>
    /// <exception cref="InvalidOperationException">Not inside the private network namespace.</exception>
    /// <exception cref="ArgumentException">Bad role arguments.</exception>
    public static int RunRole(string[] args)
    {
        EnsureInsideNamespace();
        return RoleHost.Run(args);
    }

    /// <summary>
    /// Runs the selected scenarios, each side in its own process, and writes one Markdown report to
    /// <paramref name="report"/> (and to <c>--out</c>); progress lines go to <paramref name="log"/>. Cancelling stops
    /// the running measurement (its processes are killed) and writes the report of the runs finished so far.
    /// </summary>
    /// <param name="options">The orchestrator options (<see cref="Options"/>); <c>--help</c> writes <see cref="Usage"/> and runs nothing.</param>
    /// <param name="launcher">How to start this program's role processes.</param>
    /// <param name="report">Where the report goes.</param>
    /// <param name="log">Where progress goes.</param>
    /// <param name="cancellationToken">Stops the run early (Ctrl+C).</param>
    /// <returns>0 when every run succeeded (or the run was cancelled), 1 when a run failed.</returns>
    /// <exception cref="HarnessUsageException">Bad options.</exception>
    /// <exception cref="InvalidOperationException">Not inside the private network namespace, or the python-can check failed.</exception>
    public static Task<int> RunAsync(IReadOnlyList<string> options, RoleLauncher launcher, TextWriter report, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(log);
        var settings = Settings.Parse(options);
        if (settings.HelpRequested)
        {
            report.Write(Usage);
            return Task.FromResult(0);
        }

        EnsureInsideNamespace();
        return Orchestrator.RunAsync(settings, launcher, report, log, cancellationToken);
    }

    private static void EnsureInsideNamespace()
    {
        if (!IsInsideNamespace)
        {
            throw new InvalidOperationException(
                $"refusing to run the loopback harness outside the private network namespace ({NamespaceVariable} is not 1): use scripts/bench.sh or scripts/in-netns.sh");
        }
    }
}
