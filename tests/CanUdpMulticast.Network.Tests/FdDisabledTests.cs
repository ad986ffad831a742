using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>With FD off (python-can's <c>fd=False</c>): sending an FD frame throws, received FD frames are dropped and counted.</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class FdDisabledTests
{
    [SkippableFact]
    public async Task Send_FdFrameOnClassicBus_ThrowsCanOperationExceptionAndSendsNothing()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var bus = new UdpMulticastBus(Options(group) with { Fd = false });
        using var listener = new UdpMulticastBus(Options(group));
        var fd = new CanMessage(0x10, new byte[12]) { IsFd = true };

        bus.Invoking(b => b.Send(fd)).Should().Throw<CanOperationException>().WithMessage("*CAN FD*");
        await bus.Awaiting(b => b.SendAsync(fd).AsTask()).Should().ThrowAsync<CanOperationException>();
        bus.Invoking(b => b.SendBatch([new CanMessage(1, [1]), fd])).Should().Throw<CanOperationException>();

        bus.Protocol.Should().Be(CanProtocol.Can20);
        bus.Statistics.FramesSent.Should().Be(0, "a batch with an FD frame is refused as a whole");
        listener.Receive(TimeSpan.FromMilliseconds(300)).Should().BeNull();
    }

    [SkippableFact]
    public void Receive_FdFrameOnClassicBus_IsDroppedAndCountedWhileClassicFramesArrive()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var classic = new UdpMulticastBus(Options(group) with { Fd = false });
        using var sender = new UdpMulticastBus(Options(group));

        sender.Send(new CanMessage(0x1, [1]));
        sender.Send(new CanMessage(0x2, new byte[64]) { IsFd = true, BitrateSwitch = true });
        sender.Send(new CanMessage(0x3, [3]));

        classic.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(1);
        classic.Receive(TimeSpan.FromSeconds(5))!.Value.ArbitrationId.Should().Be(3);
        WaitUntil(() => classic.MulticastStatistics.FdFramesDropped == 1, "the FD frame was counted");
        classic.MulticastStatistics.MalformedDatagrams.Should().Be(0, "an FD frame is valid, just not wanted here");
        classic.TryReceive(out _).Should().BeFalse();
    }

    [SkippableFact]
    public void Protocol_FdOn_IsCanFd()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        using var bus = new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)));
        bus.Protocol.Should().Be(CanProtocol.CanFd);
    }
}
