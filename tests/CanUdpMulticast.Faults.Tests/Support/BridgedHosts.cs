using System.Globalization;
using CanUdpMulticast.Network.Tests.Support;

namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>
/// Three simulated hosts on one Ethernet segment: namespaces each with a veth whose peer is enslaved to a bridge in
/// the test's own (private) namespace; 198.51.100.n/24 (TEST-NET-2) and IPv6 link-local, multicast routed to the link.
/// Nothing reaches beyond the bridge.
/// </summary>
public sealed class BridgedHosts : IDisposable
{
    private static int s_next;
    private readonly string _bridge;

    public BridgedHosts(int count = 3)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 1000}x{Interlocked.Increment(ref s_next)}");
        _bridge = "fbr" + id;
        NetworkNamespace.RunHere($"ip link add {_bridge} type bridge\nip link set {_bridge} up");
        try
        {
            for (var i = 0; i < count; i++)
            {
                var host = NetworkNamespace.Create();
                Hosts.Add(host);
                var link = $"fh{id}n{i}";
                Links.Add(link);
                NetworkNamespace.RunHere(string.Join('\n',
                    $"ip link add {link}b type veth peer name {link} netns {host.Pid}",
                    $"ip link set {link}b master {_bridge}",
                    $"ip link set {link}b up"));
                host.Run(string.Join('\n',
                    "ip link set lo up",
                    $"sysctl -qw net.ipv6.conf.{link}.accept_dad=0",
                    $"ip link set {link} up",
                    $"ip addr add 198.51.100.{i + 1}/24 dev {link}",
                    $"ip route add 224.0.0.0/4 dev {link}",
                    $"ip -6 route add table local multicast ff00::/8 dev {link} metric 1"));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public List<NetworkNamespace> Hosts { get; } = [];

    /// <summary>Each host's end of its link (its only interface besides lo).</summary>
    public List<string> Links { get; } = [];

    public void Dispose()
    {
        foreach (var host in Hosts)
        {
            host.Dispose();
        }

        try
        {
            NetworkNamespace.RunHere($"ip link del {_bridge}");
        }
        catch (InvalidOperationException)
        {
            // Gone with the namespace already.
        }
    }
}
