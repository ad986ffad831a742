using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Kernel receive timestamps (SO_TIMESTAMPNS) are the arrival time, not the time the bus read the socket; kernel drops
/// (SO_RXQ_OVFL) are counted exactly.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class TimestampAndDropTests
{
    [SkippableFact]
    public void TimestampSource_DefaultOnLinux_IsTheKernel()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var auto = new UdpMulticastBus(Options(group));
        using var software = new UdpMulticastBus(Options(group) with { TimestampSource = UdpMulticastTimestampSource.Software });
        using var portable = new UdpMulticastBus(Options(group) with { ForcePortableTransport = true });
        using var kernel = new UdpMulticastBus(Options(group) with { TimestampSource = UdpMulticastTimestampSource.Kernel });

        auto.MulticastStatistics.KernelTimestamps.Should().BeTrue();
        kernel.MulticastStatistics.KernelTimestamps.Should().BeTrue();
        software.MulticastStatistics.KernelTimestamps.Should().BeFalse();
        portable.MulticastStatistics.KernelTimestamps.Should().BeFalse();
    }

    /// <summary>
    /// A frame that waits in the socket while nobody reads: the kernel stamped it on arrival, so it carries the send
    /// time; the software clock says when the bus read it.
    /// </summary>
    [SkippableTheory]
    [InlineData(UdpMulticastTimestampSource.Kernel, false)]
    [InlineData(UdpMulticastTimestampSource.Software, true)]
    public void Timestamp_OfAFrameLeftInTheSocket_IsArrivalTimeOnlyWithKernelSource(UdpMulticastTimestampSource source, bool expectReadTime)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var receiver = new UdpMulticastBus(Options(group) with { TimestampSource = source });
        using var sender = new UdpMulticastBus(Options(group));
        var sentAt = CanClock.Now();
        sender.Send(new CanMessage(2, [2]));
        Thread.Sleep(500); // the measured quantity: how long the frame waits in the socket before the bus reads it
        var readAt = CanClock.Now();
        var frame = receiver.Receive(TimeSpan.FromSeconds(5))!.Value;

        frame.ArbitrationId.Should().Be(2u);
        if (expectReadTime)
        {
            frame.Timestamp.Should().BeGreaterThanOrEqualTo(readAt - 0.01, "the software clock stamps when the bus reads the socket");
        }
        else
        {
            frame.Timestamp.Should().BeInRange(sentAt, sentAt + 0.25, "the kernel stamped the frame when it arrived");
        }
    }

    [SkippableFact]
    public void KernelDrops_TinyBufferAndStalledReader_AreCountedExactly()
    {
        const int Frames = 200;
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var receiver = new UdpMulticastBus(Options(group) with
        {
            ReceiveBufferSize = 1, // the kernel's minimum: a few datagrams (nobody reads during the burst)
        });
        using var sender = new UdpMulticastBus(Options(group));

        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x1, BitConverter.GetBytes(i)));
        }

        var received = Drain(receiver);

        // One more frame after the burst (the receive path counts drops while receiving; statistics are exact in any case).
        sender.Send(new CanMessage(0x2, [0xFF]));
        received.AddRange(Drain(receiver));

        var statistics = receiver.MulticastStatistics;
        statistics.KernelDrops.Should().BeGreaterThan(0, "a few-datagram buffer cannot hold a 200-frame burst");
        (received.Count + statistics.KernelDrops).Should().Be(Frames + 1, $"every frame either arrived or was counted as dropped ({statistics})");
        receiver.Statistics.FramesDropped.Should().Be(statistics.KernelDrops);
        received.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    /// <summary>
    /// Issue 14, D2: when traffic stops after the loss, reading the statistics must still show it (the bus asks the
    /// socket, SO_MEMINFO).
    /// </summary>
    [SkippableFact]
    public void KernelDrops_BurstIntoANonReadingReceiverThenSilence_EqualsTheLossWhenStatisticsAreRead()
    {
        const int Frames = 5_000;
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var receiver = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = 1 });
        using var sender = new UdpMulticastBus(Options(group));
        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x1, BitConverter.GetBytes(i)));
        }

        // Nothing more is sent: no later datagram carries the drop count.
        var dropped = receiver.MulticastStatistics.KernelDrops;
        var busDropped = receiver.Statistics.FramesDropped;
        var readable = Drain(receiver).Count;

        dropped.Should().BeGreaterThan(0, "a few-datagram buffer cannot hold a 5,000-frame burst");
        dropped.Should().Be(Frames - readable, "every frame not readable afterwards was counted as dropped when statistics were read");
        busDropped.Should().Be(dropped);
        receiver.MulticastStatistics.KernelDrops.Should().Be(dropped, "reading the queued frames (carrying older counts) adds nothing");
    }

    /// <summary>
    /// The receive path itself notices drops (it asks the socket at most every 100 ms of receive activity): the first
    /// read after a loss logs it, without anyone reading statistics and without a datagram that arrived after the loss.
    /// </summary>
    [SkippableTheory]
    [InlineData(UdpMulticastTimestampSource.Auto)]
    [InlineData(UdpMulticastTimestampSource.Software)]
    public void KernelDrops_FirstReceiveAfterTheLoss_LogsThemWithoutStatisticsBeingRead(UdpMulticastTimestampSource timestamps)
    {
        const int Frames = 200;
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        var logger = new CollectingLogger();
        using var receiver = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = 1, Logger = logger, TimestampSource = timestamps });
        using var sender = new UdpMulticastBus(Options(group));
        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x1, BitConverter.GetBytes(i)));
        }

        receiver.Receive(TimeSpan.FromSeconds(5)).Should().NotBeNull("the buffer holds the first few frames");

        var logged = logger.WithId(304).Should().ContainSingle("the receive path counted the loss and warned").Subject;
        logged.Message.Should().Contain("consider a larger ReceiveBufferSize");
        var readable = 1 + Drain(receiver).Count;
        receiver.MulticastStatistics.KernelDrops.Should().Be(Frames - readable);
    }

    private static List<int> Drain(UdpMulticastBus bus)
    {
        var values = new List<int>();
        while (bus.Receive(TimeSpan.FromMilliseconds(500)) is { } message)
        {
            values.Add(message.ArbitrationId == 0x2 ? int.MaxValue : BitConverter.ToInt32(message.Data));
        }

        return values;
    }
}
