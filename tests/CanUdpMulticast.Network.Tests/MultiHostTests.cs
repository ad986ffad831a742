using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Two hosts (network namespaces joined by a veth pair), a bus on each: with hop limit 1 frames cross the link; with hop
/// limit 0 they stay on the sending host, where a second bus still receives them.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class MultiHostTests
{
    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void HopLimit1_FrameCrossesToTheOtherHost(AddressFamily family)
    {
        RequireMulticast(family);
        using var hosts = new TwoHosts();
        var group = NewGroup(family);
        using var sender = hosts.A.Invoke(() => new UdpMulticastBus(Options(group) with { HopLimit = 1 }));
        using var receiver = hosts.B.Invoke(() => new UdpMulticastBus(Options(group)));
        var frame = new CanMessage(0x1FFFFFFF, [0xCA, 0xFE], isExtendedId: true) { IsFd = true, BitrateSwitch = true, Channel = "hostA" };

        sender.Send(frame);

        var received = receiver.Receive(TimeSpan.FromSeconds(5));
        received.Should().NotBeNull("hop limit 1 reaches the local link");
        received!.Value.IsEquivalentTo(frame, timestampDelta: null).Should().BeTrue();
        receiver.MulticastStatistics.OwnFramesSkipped.Should().Be(0, "host B's own send port is another socket on another host");
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void HopLimit0_FrameStaysOnTheSendingHostWhereAnotherBusReceivesIt(AddressFamily family)
    {
        RequireMulticast(family);
        using var hosts = new TwoHosts();
        var group = NewGroup(family);
        using var hostLocalSender = hosts.A.Invoke(() => new UdpMulticastBus(Options(group) with { HopLimit = 0 }));
        using var linkSender = hosts.A.Invoke(() => new UdpMulticastBus(Options(group) with { HopLimit = 1 }));
        using var neighbour = hosts.A.Invoke(() => new UdpMulticastBus(Options(group)));
        using var remote = hosts.B.Invoke(() => new UdpMulticastBus(Options(group)));

        hostLocalSender.Send(new CanMessage(0x0, [0]));
        neighbour.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x0, "a bus on the same host receives hop-limit-0 frames");
        linkSender.Send(new CanMessage(0x1, [1]));

        remote.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x1, "the hop-limit-1 marker crosses, the hop-limit-0 frame sent before it does not");
        remote.Receive(TimeSpan.FromMilliseconds(300)).Should().BeNull();
        remote.MulticastStatistics.DatagramsReceived.Should().Be(1);
        neighbour.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x1);
    }
}
