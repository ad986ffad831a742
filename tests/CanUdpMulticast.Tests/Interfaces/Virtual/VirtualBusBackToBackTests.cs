using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Testing;

namespace CanUdpMulticast.Tests.Interfaces.Virtual;

public sealed class VirtualBusBackToBackTests : BackToBackTests
{
    private readonly string _channel = "b2b-" + Guid.NewGuid().ToString("N");

    protected override CanBus OpenBus(bool receiveOwnMessages = false) =>
        new VirtualBus(new VirtualBusOptions { Channel = _channel, ReceiveOwnMessages = receiveOwnMessages });
}
