using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Network.Tests;

/// <summary>The shared back-to-back suite over real UDP multicast sockets; each test instance has its own group.</summary>
public abstract class UdpMulticastBackToBackTests : BackToBackTests
{
    private readonly string _group;
    private readonly Dictionary<CanBus, int> _receiveSockets = [];

    protected UdpMulticastBackToBackTests(AddressFamily family)
    {
        Family = family;
        _group = MulticastTestEnvironment.NewGroup(family);
    }

    protected AddressFamily Family { get; }

    /// <summary>Extra options of a derived suite (transport choice).</summary>
    protected virtual UdpMulticastBusOptions Configure(UdpMulticastBusOptions options) => options;

    protected override CanBus OpenBus(bool receiveOwnMessages = false)
    {
        MulticastTestEnvironment.RequireMulticast(Family);
        var (bus, receiveSocket) = QueuedDatagrams.Open(
            () => new UdpMulticastBus(Configure(MulticastTestEnvironment.Options(_group) with { ReceiveOwnMessages = receiveOwnMessages })));
        _receiveSockets[bus] = receiveSocket;
        return bus;
    }

    // Datagrams reach the receiving socket asynchronously (softirq): wait until they are queued in the bus's socket.
    protected override void AwaitQueued(CanBus receiver, int count) =>
        MulticastTestEnvironment.WaitUntil(() => QueuedDatagrams.Count(_receiveSockets[receiver]) >= count, $"{count} frames queued");
}

[Collection(NetworkTestGroup.Name)]
public sealed class UdpMulticastIPv4BackToBackTests() : UdpMulticastBackToBackTests(AddressFamily.InterNetwork);

[Collection(NetworkTestGroup.Name)]
public sealed class UdpMulticastIPv6BackToBackTests() : UdpMulticastBackToBackTests(AddressFamily.InterNetworkV6);

/// <summary>The same suite through the portable transport (managed sockets, software timestamps) that other platforms use.</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class UdpMulticastPortableTransportBackToBackTests() : UdpMulticastBackToBackTests(AddressFamily.InterNetwork)
{
    protected override UdpMulticastBusOptions Configure(UdpMulticastBusOptions options) => options with { ForcePortableTransport = true };
}
