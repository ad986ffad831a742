using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using CanUdpMulticast.Notifications;
using CanUdpMulticast.Periodic;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests.Periodic;

/// <summary>Periodic sending and the notifier over real multicast sockets (inside the test namespace).</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class PeriodicOverUdpTests
{
    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public async Task SendPeriodic_OverUdpMulticast_TheReceiverGetsEverySlotInRoundRobinOrder(AddressFamily family)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        using var sender = new UdpMulticastBus(Options(group));
        using var receiver = new UdpMulticastBus(Options(group));
        CanMessage[] pages = [new(0x3A0, [0, 0xAA]), new(0x3A0, [1, 0xBB]), new(0x3A0, [2, 0xCC])];

        using var task = sender.SendPeriodic(pages, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(500));
        await task.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        var received = new List<CanMessage>();
        while (receiver.Receive(TimeSpan.FromSeconds(2)) is { } frame)
        {
            received.Add(frame);
            if (received.Count == 50)
            {
                break;
            }
        }

        task.StopReason.Should().Be(CyclicSendStopReason.DurationElapsed);
        task.Statistics.Sent.Should().Be(50);
        received.Should().HaveCount(50);
        received.Select(f => f.Data[0]).Should().Equal(Enumerable.Range(0, 50).Select(i => (byte)(i % 3)));
        received.Should().AllSatisfy(f => f.ArbitrationId.Should().Be(0x3A0));
        (received[^1].Timestamp - received[0].Timestamp).Should().BeInRange(0.3, 2.0, "49 periods of 10 ms, with generous bounds");
        receiver.TryReceive(out _).Should().BeFalse("nothing is sent after the run ended");
    }

    [SkippableFact]
    public async Task Notifier_OnAUdpBus_DeliversPeriodicFramesToAnAsyncReader()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var sender = new UdpMulticastBus(Options(group));
        using var receiver = new UdpMulticastBus(Options(group));
        using var reader = new AsyncBufferedReader();
        await using var notifier = new Notifier(receiver, [reader]);

        var options = new PeriodicSendOptions { Modifier = m => m with { Data = [(byte)(m.Data[0] + 1)] } };
        using var task = sender.SendPeriodic(new CanMessage(0x55, [0]), TimeSpan.FromMilliseconds(5), options: options);
        var counters = new List<byte>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var frame in reader.ReadAllAsync(timeout.Token))
        {
            counters.Add(frame.Data[0]);
            if (counters.Count == 20)
            {
                break;
            }
        }

        task.Stop();

        counters.Should().Equal(Enumerable.Range(1, 20).Select(i => (byte)i));
    }
}
