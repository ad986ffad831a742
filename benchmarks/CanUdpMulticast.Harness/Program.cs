// Loopback benchmark harness (issue 4). Without arguments it orchestrates every scenario (see Settings.Usage);
// with a role as first argument (send/recv/ping/pong) it is one of the benchmark processes the orchestrator starts.
// Everything here opens multicast sockets: it refuses to run outside the private network namespace.
using CanUdpMulticast.Harness.Orchestration;
using CanUdpMulticast.Harness.Roles;

if (Environment.GetEnvironmentVariable("CANUDP_NETNS") != "1")
{
    Console.Error.WriteLine("Refusing to run outside the private network namespace: use scripts/bench.sh (or scripts/in-netns.sh dotnet run ...).");
    return 2;
}

if (args.Length > 0 && RoleHost.IsRole(args[0]))
{
    return RoleHost.Run(args);
}

return await Orchestrator.RunAsync(args);
