using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Own frames come back through multicast loopback; the bus recognises them by the source address of its separate send
/// socket. Off: never returned (skipped before decoding). On: returned with IsRx = false. Other buses see them as Rx.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class OwnMessageTests
{
    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void ReceiveOwnMessagesOff_OwnFrame_IsSkippedBeforeDecodingAndCounted(AddressFamily family)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group));
        using var other = new UdpMulticastBus(Options(group));

        bus.Send(new CanMessage(0x100, [1]));

        other.Receive(TimeSpan.FromSeconds(5)).Should().NotBeNull("the frame went out on the group");

        // The echo reached this bus's socket in the same delivery pass; reading the socket finds it and skips it.
        bus.TryReceive(out _).Should().BeFalse();
        bus.MulticastStatistics.OwnFramesSkipped.Should().Be(1, "the bus saw its own echo and skipped it");
        bus.MulticastStatistics.MalformedDatagrams.Should().Be(0);
        bus.Statistics.FramesReceived.Should().Be(0);
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void ReceiveOwnMessagesOn_OwnFrameIsTxAndOtherBusFrameIsRx(AddressFamily family)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group) with { ReceiveOwnMessages = true });
        using var other = new UdpMulticastBus(Options(group));

        bus.Send(new CanMessage(0x1, [1]));
        var echo = bus.Receive(TimeSpan.FromSeconds(5));
        other.Send(new CanMessage(0x2, [2]));
        var foreign = bus.Receive(TimeSpan.FromSeconds(5));
        var atOther = other.Receive(TimeSpan.FromSeconds(5));

        echo.Should().NotBeNull();
        echo!.Value.ArbitrationId.Should().Be(0x1);
        echo.Value.IsRx.Should().BeFalse("it is this bus's own frame");
        foreign.Should().NotBeNull();
        foreign!.Value.ArbitrationId.Should().Be(0x2);
        foreign.Value.IsRx.Should().BeTrue("another bus sent it");
        atOther.Should().NotBeNull();
        atOther!.Value.ArbitrationId.Should().Be(0x1);
        atOther.Value.IsRx.Should().BeTrue("for the other bus it is a received frame");
        other.TryReceive(out _).Should().BeFalse("the other bus does not get its own frame back");
    }

    [SkippableFact]
    public void SendPort_DiffersFromBusPortAndBetweenBuses()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var first = new UdpMulticastBus(Options(group));
        using var second = new UdpMulticastBus(Options(group));

        first.SendPort.Should().NotBe(TestPort).And.NotBe(second.SendPort);
    }

    [Fact]
    public void OwnEchoDetector_SamePortFromAnotherHost_IsNotOwn()
    {
        var detector = new OwnEchoDetector(AddressFamily.InterNetwork, 40000);

        detector.IsOwn(Ipv4Source([127, 0, 0, 1], 40000)).Should().BeTrue("a local address and our send port");
        detector.IsOwn(Ipv4Source([192, 0, 2, 55], 40000)).Should().BeFalse("the port matches, but no interface here has that address");
        detector.IsOwn(Ipv4Source([127, 0, 0, 1], 40001)).Should().BeFalse("another port of this host");
        detector.IsOwn(Ipv4Source([127, 0, 0, 1], 40000)).Should().BeTrue("the cached answer stays right");
    }

    private static SourceAddress Ipv4Source(byte[] address, ushort port)
    {
        var sockaddr = new byte[16];
        sockaddr[0] = 2;
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        address.CopyTo(sockaddr, 4);
        return SourceAddress.FromSockaddr(sockaddr, AddressFamily.InterNetwork);
    }
}
