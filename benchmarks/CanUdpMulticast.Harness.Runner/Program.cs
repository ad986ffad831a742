// Loopback benchmark harness (issue 4), the executable scripts/bench.sh runs. Without a role it orchestrates every
// scenario (see LoopbackHarness.Usage); with a role as first argument (send/recv/ping/pong/...) it is one of the
// benchmark processes the orchestrator starts. The logic is in ../CanUdpMulticast.Harness; `canudp bench` runs this
// program (the tool does not ship the harness).
// Everything here opens multicast sockets: it refuses to run outside the private network namespace.
using CanUdpMulticast.Harness;
using CanUdpMulticast.Harness.Orchestration;

if (!LoopbackHarness.IsInsideNamespace)
{
    Console.Error.WriteLine("Refusing to run outside the private network namespace: use scripts/bench.sh (or scripts/in-netns.sh dotnet run ...).");
    return 2;
}

if (args.Length > 0 && LoopbackHarness.IsRole(args[0]))
{
    return LoopbackHarness.RunRole(args);
}

// Ctrl+C (or SIGINT from `canudp bench`): stop the running measurement, kill its processes, report what finished.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
try
{
    var launcher = RoleLauncher.ForThisProgram(typeof(Program).Assembly.Location);
    return await LoopbackHarness.RunAsync(args, launcher, Console.Out, Console.Error, interrupted.Token);
}
catch (HarnessUsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}\n{LoopbackHarness.Usage}");
    return 2;
}
