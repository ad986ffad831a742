using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Issue 14, item 4: an optional allow-list of source addresses (CIDR, IPv4 and IPv6). Datagrams from other senders are
/// dropped before decoding and counted in <see cref="UdpMulticastStatistics.SourcesRejected"/>.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class AllowedSourcesTests
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public void Receive_IPv4SendersOnTwoLoopbackAddresses_OnlyTheAllowedOneIsDecoded()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var receiver = new UdpMulticastBus(Options(group) with { AllowedSources = ["127.0.0.1/32"] });
        using var open = new UdpMulticastBus(Options(group));
        using var allowed = BoundSender("127.0.0.1");
        using var stranger = BoundSender("127.0.0.2");

        Send(stranger, group, new CanMessage(0x666, [6]));
        Send(allowed, group, new CanMessage(0x123, [1]));

        receiver.Receive(Arrival)!.Value.ArbitrationId.Should().Be(0x123u);
        receiver.Receive(TimeSpan.FromMilliseconds(200)).Should().BeNull();
        receiver.MulticastStatistics.SourcesRejected.Should().Be(1);
        receiver.Statistics.MalformedFrames.Should().Be(0, "a rejected sender's datagram is not decoded at all");

        // A bus without the option receives both, as python-can does.
        var ids = new[] { open.Receive(Arrival)!.Value.ArbitrationId, open.Receive(Arrival)!.Value.ArbitrationId };
        ids.Should().BeEquivalentTo([0x666u, 0x123u]);
        open.MulticastStatistics.SourcesRejected.Should().Be(0);
    }

    [SkippableFact]
    public void Receive_IPv6LinkLocalSender_MatchedByPrefix()
    {
        RequireMulticast(AddressFamily.InterNetworkV6);
        var group = NewGroup(AddressFamily.InterNetworkV6);
        using var linkLocal = new UdpMulticastBus(Options(group) with { AllowedSources = ["10.0.0.0/8", "fe80::/10"] });
        using var uniqueLocal = new UdpMulticastBus(Options(group) with { AllowedSources = ["fd00::/8"] });
        using var sender = new UdpMulticastBus(Options(group));

        sender.Send(new CanMessage(0x321, [3]));

        linkLocal.Receive(Arrival)!.Value.ArbitrationId.Should().Be(0x321u, "the sender's link-local source lies in fe80::/10");
        uniqueLocal.Receive(TimeSpan.FromMilliseconds(300)).Should().BeNull();
        uniqueLocal.MulticastStatistics.SourcesRejected.Should().Be(1);
        linkLocal.MulticastStatistics.SourcesRejected.Should().Be(0);
    }

    [SkippableFact]
    public void Receive_OwnFramesWithAnAllowListThatExcludesThisHost_StillReturned()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        using var bus = new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)) with
        {
            AllowedSources = ["192.0.2.0/24"],
            ReceiveOwnMessages = true,
        });

        bus.Send(new CanMessage(0x10, [1]));

        bus.Receive(Arrival)!.Value.IsRx.Should().BeFalse("the bus's own echo is not subject to the allow-list");
        bus.MulticastStatistics.SourcesRejected.Should().Be(0);
    }

    [SkippableTheory]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fd00::/129")]
    [InlineData("10.0.0.0/x")]
    public void Open_InvalidAllowedSource_ThrowsCanInitializationNamingIt(string entry)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var options = Options(NewGroup(AddressFamily.InterNetwork)) with { AllowedSources = [entry] };

        FluentActions.Invoking(() => new UdpMulticastBus(options)).Should().Throw<CanInitializationException>().WithMessage($"*{entry}*");
    }

    [SkippableFact]
    public void Create_AllowedSourcesBusOption_CommaSeparatedList()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        using var bus = (UdpMulticastBus)CanBus.Create("udp_multicast", NewGroup(AddressFamily.InterNetwork), new Dictionary<string, object?>
        {
            ["port"] = TestPort,
            ["hop_limit"] = 0,
            ["allowed_sources"] = "127.0.0.1/32, fd00::/8",
        });

        bus.Options.AllowedSources.Should().Equal("127.0.0.1/32", "fd00::/8");
    }

    private static Socket BoundSender(string source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 0);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        return socket;
    }

    private static void Send(Socket socket, string group, in CanMessage message)
    {
        var buffer = new byte[WireCodec.MaxDatagramSize];
        var length = WireCodec.Encode(message, buffer);
        socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, new IPEndPoint(IPAddress.Parse(group), TestPort));
    }
}
