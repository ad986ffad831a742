using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.Notifications;

public sealed class RedirectReaderTests
{
    private static CanMessage Frame(uint id) => new(id, [(byte)id]);

    [Fact]
    public void OnMessageReceived_SendsTheFrameOnTheTargetBus()
    {
        var channel = "redirect-" + Guid.NewGuid().ToString("N");
        using var target = new VirtualBus(channel);
        using var observer = new VirtualBus(channel);
        var redirect = new RedirectReader(target);

        redirect.OnMessageReceived(Frame(0x55));

        observer.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x55);
        redirect.ForwardedCount.Should().Be(1);
    }

    [Fact]
    public void Transform_CanChangeOrDropFrames()
    {
        var channel = "redirect-transform-" + Guid.NewGuid().ToString("N");
        using var target = new VirtualBus(channel);
        using var observer = new VirtualBus(channel);
        var redirect = new RedirectReader(target, m => m.ArbitrationId == 1 ? null : m with { ArbitrationId = m.ArbitrationId + 0x100 });

        redirect.OnMessageReceived(Frame(1));
        redirect.OnMessageReceived(Frame(2));

        observer.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x102);
        observer.Receive(TimeSpan.Zero).Should().BeNull();
        redirect.ForwardedCount.Should().Be(1);
    }

    [Fact]
    public void TwoNotifiersWithRedirectReaders_BridgeTwoBusesBothWays()
    {
        var a = "bridge-a-" + Guid.NewGuid().ToString("N");
        var b = "bridge-b-" + Guid.NewGuid().ToString("N");
        using var userA = new VirtualBus(a);
        using var bridgeA = new VirtualBus(a);
        using var bridgeB = new VirtualBus(b);
        using var userB = new VirtualBus(b);
        using var aToB = new Notifier(bridgeA, [new RedirectReader(bridgeB)]);
        using var bToA = new Notifier(bridgeB, [new RedirectReader(bridgeA)]);

        userA.Send(Frame(0x10));
        userB.Send(Frame(0x20));

        userB.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x10);
        userA.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(0x20);
        userA.Receive(TimeSpan.FromMilliseconds(50)).Should().BeNull("the bridge does not echo a frame back to its origin");
    }
}
