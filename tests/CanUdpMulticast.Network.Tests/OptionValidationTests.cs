using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>Bad options fail with a <see cref="CanInitializationException"/> that says what and why, and leave nothing open.</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class OptionValidationTests
{
    [SkippableTheory]
    [InlineData(-1)]
    [InlineData(256)]
    [InlineData(1000)]
    public void HopLimit_OutOf0To255_Throws(int hopLimit)
    {
        AssertRejected(Options(NewGroup(AddressFamily.InterNetwork)) with { HopLimit = hopLimit }, "*hop limit*0 to 255*");
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(255)]
    public void HopLimit_AtTheBounds_Opens(int hopLimit)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        using var bus = new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)) with { HopLimit = hopLimit });
        bus.Options.HopLimit.Should().Be(hopLimit);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(65536)]
    public void Port_OutOf1To65535_Throws(int port)
    {
        AssertRejected(Options(NewGroup(AddressFamily.InterNetwork)) with { Port = port }, $"*port*1 to 65535*{port}*");
    }

    [SkippableTheory]
    [InlineData("127.0.0.1", "*not a multicast address*")]
    [InlineData("10.1.2.3", "*not a multicast address*")]
    [InlineData("255.255.255.255", "*not a multicast address*")]
    [InlineData("::1", "*not a multicast address*")]
    [InlineData("fe80::1", "*not a multicast address*")]
    [InlineData("can0", "*not an IP address*")]
    [InlineData("", "*needs a multicast group*")]
    public void Channel_NotAMulticastAddress_Throws(string channel, string message)
    {
        AssertRejected(Options(channel), message);
    }

    [SkippableFact]
    public void ReceiveBufferSize_NotPositive_Throws() =>
        AssertRejected(Options(NewGroup(AddressFamily.InterNetwork)) with { ReceiveBufferSize = 0 }, "*ReceiveBufferSize*");

    [SkippableFact]
    public void KernelTimestamps_OnPortableTransport_Throws() =>
        AssertRejected(Options(NewGroup(AddressFamily.InterNetwork)) with
        {
            TimestampSource = UdpMulticastTimestampSource.Kernel,
            ForcePortableTransport = true,
        }, "*Kernel receive timestamps*");

    [SkippableFact]
    public void PortHeldWithoutReuse_ThrowsAfterOpeningTheSocket_AndClosesIt()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Any, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        AssertRejected(Options(NewGroup(AddressFamily.InterNetwork)) with { Port = port }, $"*bind port {port}*AddressAlreadyInUse*");
    }

    [SkippableFact]
    public void Registry_BadHopLimit_NamesTheKey()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var create = () => CanBus.Create("udp_multicast", NewGroup(AddressFamily.InterNetwork),
            new Dictionary<string, object?> { ["hop_limit"] = "300" }, ignoreConfig: true);

        create.Should().Throw<CanInitializationException>().WithMessage("*hop_limit*300*");
    }

    private static void AssertRejected(UdpMulticastBusOptions options, string message)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var sockets = SocketCensus.OpenSockets();
        var threads = SocketCensus.ReceiveThreads();

        var open = () => new UdpMulticastBus(options);

        open.Should().Throw<CanInitializationException>().WithMessage(message);
        SocketCensus.OpenSockets().Should().Be(sockets, "a failed open closes every socket it opened");
        SocketCensus.ReceiveThreads().Should().Be(threads, "a failed open starts no receive thread");
    }
}
