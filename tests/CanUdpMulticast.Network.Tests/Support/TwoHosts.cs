using System.Globalization;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>
/// Two simulated hosts: network namespaces A and B, created from inside the test namespace and joined by one veth
/// pair (192.0.2.1/24 and 192.0.2.2/24, TEST-NET-1, plus IPv6 link-local), each with its multicast routes on that link.
/// Nothing connects them to anything else.
/// </summary>
public sealed class TwoHosts : IDisposable
{
    private static int s_next;

    public TwoHosts()
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 10000}x{Interlocked.Increment(ref s_next)}");
        LinkA = "mha" + id;
        LinkB = "mhb" + id;
        A = NetworkNamespace.Create();
        try
        {
            B = NetworkNamespace.Create();
            NetworkNamespace.RunHere($"ip link add {LinkA} netns {A.Pid} type veth peer name {LinkB} netns {B.Pid}");
            Configure(A, LinkA, "192.0.2.1/24");
            Configure(B, LinkB, "192.0.2.2/24");
        }
        catch
        {
            B?.Dispose();
            A.Dispose();
            throw;
        }
    }

    /// <summary>Host A.</summary>
    public NetworkNamespace A { get; }

    /// <summary>Host B.</summary>
    public NetworkNamespace B { get; }

    /// <summary>Host A's end of the link.</summary>
    public string LinkA { get; }

    /// <summary>Host B's end of the link.</summary>
    public string LinkB { get; }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }

    private static void Configure(NetworkNamespace host, string link, string address) => host.Run(string.Join('\n',
        "ip link set lo up",
        $"sysctl -qw net.ipv6.conf.{link}.accept_dad=0",
        $"ip link set {link} up",
        $"ip addr add {address} dev {link}",
        $"ip route add 224.0.0.0/4 dev {link}"));
}
