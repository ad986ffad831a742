using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Two groups on one port. On Linux a socket bound to the wildcard address gets every group any socket joined on that port
/// (IP_MULTICAST_ALL, python-can's behaviour); with isolation on (the default) a bus gets only its own group.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class GroupIsolationTests
{
    // A port of its own: with isolation off, a socket would see every other test group joined on the shared test port.
    private const int Port = 43171;

    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void IsolationOn_FrameForOtherGroupOnSamePort_IsNotReceived(AddressFamily family)
    {
        RequireMulticast(family);
        var (mine, theirs) = (NewGroup(family), NewGroup(family));
        using var bus = new UdpMulticastBus(Options(mine) with { Port = Port });
        using var mineSender = new UdpMulticastBus(Options(mine) with { Port = Port });
        using var theirBus = new UdpMulticastBus(Options(theirs) with { Port = Port });
        using var theirSender = new UdpMulticastBus(Options(theirs) with { Port = Port });

        theirSender.Send(new CanMessage(0x666, [6]));
        theirBus.Receive(TimeSpan.FromSeconds(5)).Should().NotBeNull("the other group's frame was delivered to its member");
        mineSender.Send(new CanMessage(0x111, [1]));

        var first = bus.Receive(TimeSpan.FromSeconds(5));
        first.Should().NotBeNull();
        first!.Value.ArbitrationId.Should().Be(0x111, "only this group's frame reaches the bus");
        bus.Receive(TimeSpan.FromMilliseconds(300)).Should().BeNull("the other group's frame never comes");
        bus.MulticastStatistics.DatagramsReceived.Should().Be(1);
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void IsolationOff_FrameForOtherGroupOnSamePort_IsReceivedLikePythonCan(AddressFamily family)
    {
        RequireMulticast(family);
        var (mine, theirs) = (NewGroup(family), NewGroup(family));
        using var bus = new UdpMulticastBus(Options(mine) with { Port = Port, IsolateGroup = false });
        using var theirBus = new UdpMulticastBus(Options(theirs) with { Port = Port });
        using var theirSender = new UdpMulticastBus(Options(theirs) with { Port = Port });

        theirSender.Send(new CanMessage(0x666, [6]));

        theirBus.Receive(TimeSpan.FromSeconds(5)).Should().NotBeNull();
        var crossTalk = bus.Receive(TimeSpan.FromSeconds(5));
        crossTalk.Should().NotBeNull("without isolation Linux delivers every group joined on the port");
        crossTalk!.Value.ArbitrationId.Should().Be(0x666);
    }
}
