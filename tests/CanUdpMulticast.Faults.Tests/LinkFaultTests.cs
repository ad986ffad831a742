using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CanUdpMulticast.Faults.Tests.Support;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Faults.Tests;

/// <summary>
/// Faults under a running stream, on a host of its own (a namespace with one link): the link goes down, or the multicast
/// route is removed. Sends fail with a clear <see cref="CanOperationException"/> while the fault lasts and succeed again
/// within a second of the fix; the receiver on the host accounts for every frame that was sent.
/// </summary>
[Collection(FaultGroup.Name)]
public sealed class LinkFaultTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(1);
    private static int s_next;

    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork, "link")]
    [InlineData(AddressFamily.InterNetwork, "route")]
    [InlineData(AddressFamily.InterNetworkV6, "link")]
    [InlineData(AddressFamily.InterNetworkV6, "route")]
    public void Stream_FaultThenFix_SendFailsClearlyAndRecoversWithinOneSecond(AddressFamily family, string fault)
    {
        RequireMulticast(family);
        var link = "flt" + Interlocked.Increment(ref s_next).ToString(CultureInfo.InvariantCulture);
        using var host = NetworkNamespace.Create();
        var route = family == AddressFamily.InterNetwork
            ? $"ip route add 224.0.0.0/4 dev {link}"
            : $"ip -6 route add table local multicast ff00::/8 dev {link} metric 1";
        host.Run(string.Join('\n',
            "ip link set lo up",
            $"ip link add {link} type veth peer name {link}p",
            $"sysctl -qw net.ipv6.conf.{link}.accept_dad=0",
            $"ip link set {link}p up",
            $"ip link set {link} up",
            $"ip addr add 192.0.2.1/24 dev {link}",
            route));
        var group = NewGroup(family);
        // A link fault hits a bus bound to that interface; a route fault hits a bus that leaves the choice to the routes
        // (a bus with an interface sends through it whatever the routes say).
        var options = fault == "link" ? Options(group) with { NetworkInterface = link } : Options(group);
        var (sender, receiver) = host.Invoke(() => (new UdpMulticastBus(options), new UdpMulticastBus(options with { ReceiveOwnMessages = false })));
        using (sender)
        using (receiver)
        {
            long sent = 0, received = 0;
            var failures = new List<CanOperationException>();
            var recoveries = new List<TimeSpan>();

            // Setup, not a fault: a fresh link may take a moment before IPv6 has a source address on it.
            sent += SendWhenReady(sender, TimeSpan.FromSeconds(5));
            for (var cycle = 0; cycle < FaultScale.FaultCycles; cycle++)
            {
                sent += SendSome(sender, 200, failures);

                host.Run(fault == "link" ? $"ip link set {link} down" : DeleteRoute(family, link));
                var failedWhileBroken = 0;
                for (var i = 0; i < 20; i++)
                {
                    try
                    {
                        sender.Send(new CanMessage(0x200, [(byte)i]));
                        sent++;
                    }
                    catch (CanOperationException e)
                    {
                        failedWhileBroken++;
                        failures.Add(e);
                    }
                }

                failedWhileBroken.Should().Be(20, $"every send fails while the {fault} is broken (cycle {cycle})");

                // The fix: the link comes back (the kernel removed its routes with it, so they come back too).
                host.Run(fault == "link" ? $"ip link set {link} up\n{route}" : route);
                var fixedAt = Stopwatch.StartNew();
                while (true)
                {
                    try
                    {
                        sender.Send(new CanMessage(0x200, [0xff]));
                        sent++;
                        break;
                    }
                    catch (CanOperationException) when (fixedAt.Elapsed < TimeSpan.FromSeconds(5))
                    {
                        Thread.Sleep(10);
                    }
                }

                recoveries.Add(fixedAt.Elapsed);
                sent += SendSome(sender, 200, failures);

                // Read as a live receiver would, so the receive queue never overflows between cycles.
                received += Drain(receiver);
            }

            failures.Should().NotBeEmpty();
            // Clear: the message names the group and the system's reason.
            failures.Should().AllSatisfy(e => e.Message.Should().Contain(group).And.MatchRegex("(?i)unreachable|down|no route|cannot assign|no such device"));
            recoveries.Should().AllSatisfy(r => r.Should().BeLessThan(Recovery));

            received += Drain(receiver);
            LossAccounting.Check($"{fault} fault {family}", sent, received, receiver.Statistics.FramesDropped,
                $"sendFailures={failures.Count} worstRecoveryMs={recoveries.Max().TotalMilliseconds:F0} firstError=\"{failures[0].Message.Split('\n')[0]}\"");
        }
    }

    private static string DeleteRoute(AddressFamily family, string link) => family == AddressFamily.InterNetwork
        ? $"ip route del 224.0.0.0/4 dev {link}"
        // Every IPv6 multicast route, the kernel's own on each up link (the link's peer end included) too.
        : "ip -6 route flush table local type multicast";

    private static long SendWhenReady(UdpMulticastBus sender, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                sender.Send(new CanMessage(0x100, [0]));
                return 1;
            }
            catch (CanOperationException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(10);
            }
        }
    }

    private static long SendSome(UdpMulticastBus sender, int count, List<CanOperationException> failures)
    {
        long sent = 0;
        for (var i = 0; i < count; i++)
        {
            sender.Send(new CanMessage(0x100, [(byte)i]));
            sent++;
        }

        return sent;
    }

    private static long Drain(UdpMulticastBus receiver)
    {
        long received = 0;
        var batch = new CanMessage[64];
        int n;
        while ((n = receiver.ReceiveBatch(batch, TimeSpan.FromMilliseconds(300))) > 0)
        {
            received += n;
        }

        return received;
    }
}
