namespace CanUdpMulticast.Cli.Tests.Support;

/// <summary>
/// Guards the tests that open multicast sockets: they run only inside the private network namespace of
/// scripts/in-netns.sh (scripts/test.sh runs every test project there), never on the host's real network.
/// </summary>
internal static class NetworkNamespace
{
    public static bool IsInside => Environment.GetEnvironmentVariable("CANUDP_NETNS") == "1";

    /// <summary>The interface IPv6 groups are joined on inside the namespace.</summary>
    public static string Ipv6Interface => Environment.GetEnvironmentVariable("CANUDP_TEST_IPV6_INTERFACE") ?? "veth0";

    public static void Require() =>
        Skip.IfNot(IsInside, "opens multicast sockets: runs only inside scripts/in-netns.sh (scripts/test.sh)");

    private static int _nextPort = 40000 + (Environment.ProcessId % 1000 * 10);

    /// <summary>A UDP port no other test in this run uses, so parallel tests never hear each other.</summary>
    public static int UniquePort() => Interlocked.Increment(ref _nextPort);
}
