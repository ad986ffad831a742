using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Wire;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// On Linux a bus that does not return its own frames drops them in the kernel (a socket filter on its send address and
/// port, installed at open, or when the first own echo comes back if the address was not known then). The kernel counts filtered datagrams in the socket's drop count,
/// so these tests check that own frames are never reported as kernel drops, that real drops still are, exactly, and that
/// other senders on the same host (same address, another port) get through.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class OwnEchoFilterTests
{
    public static TheoryData<AddressFamily> Families => new() { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    public static TheoryData<AddressFamily, bool> FamiliesAndInstallation => new()
    {
        { AddressFamily.InterNetwork, false },
        { AddressFamily.InterNetworkV6, false },
        { AddressFamily.InterNetwork, true },
        { AddressFamily.InterNetworkV6, true },
    };

    [SkippableTheory]
    [MemberData(nameof(FamiliesAndInstallation))]
    public void OwnFrames_NeverReachTheBusAndAreCountedAsSkippedNotDropped(AddressFamily family, bool deferred)
    {
        const int Frames = 2_000;
        RequireLinuxTransport(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group) with { DeferOwnEchoFilter = deferred });
        using var other = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = 8 << 20 });
        SendFirstEchoAndSkipIt(bus);

        for (var i = 1; i < Frames; i++)
        {
            bus.Send(new CanMessage(0x100, BitConverter.GetBytes(i)));
        }

        Drain(other).Should().Equal(Enumerable.Range(0, Frames), "every frame went out on the group, in order");
        other.Send(new CanMessage(0x200, [7]));
        var foreign = bus.Receive(TimeSpan.FromSeconds(5));

        foreign.Should().NotBeNull("a sender on the same host with another port passes the filter");
        foreign!.Value.ArbitrationId.Should().Be(0x200u);
        var statistics = bus.MulticastStatistics;
        statistics.DatagramsReceived.Should().Be(deferred ? 2 : 1,
            deferred ? "only the first own echo (which installed the filter) and the foreign frame reached the bus" : "only the foreign frame reached the bus: the filter was installed at open");
        statistics.OwnFramesSkipped.Should().Be(Frames, "filtered own frames are counted as skipped");
        statistics.KernelDrops.Should().Be(0, $"an own frame filtered by the kernel is not a drop ({statistics})");
        bus.Statistics.FramesDropped.Should().Be(0);
    }

    /// <summary>
    /// Own frames sent through every send path (Send, SendBatch, SendAsync) while a foreign sender overruns the bus's
    /// tiny receive buffer: the reported kernel drops are exactly the foreign frames lost.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Families))]
    public async Task KernelDrops_OwnFramesFilteredWhileForeignFramesOverrun_AreExactlyTheForeignLoss(AddressFamily family)
    {
        const int Foreign = 300;
        RequireLinuxTransport(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = 1 });
        using var other = new UdpMulticastBus(Options(group));
        SendFirstEchoAndSkipIt(bus);

        var own = 1;
        var batch = Enumerable.Range(0, 50).Select(i => new CanMessage(0x100, [(byte)i])).ToArray();
        for (var i = 0; i < Foreign; i++)
        {
            other.Send(new CanMessage(0x200, BitConverter.GetBytes(i)));
            switch (i % 3)
            {
                case 0:
                    bus.Send(new CanMessage(0x100, [1]));
                    own++;
                    break;
                case 1:
                    await bus.SendAsync(new CanMessage(0x100, [2]));
                    own++;
                    break;
                default:
                    if (i % 30 == 2)
                    {
                        own += bus.SendBatch(batch);
                    }

                    break;
            }
        }

        var received = Drain(bus);
        var statistics = bus.MulticastStatistics;

        received.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems().And.NotContain(v => v < 0, "no own frame was returned");
        statistics.KernelDrops.Should().BeGreaterThan(0, "a few-datagram buffer cannot hold a 300-frame burst");
        (received.Count + statistics.KernelDrops).Should().Be(Foreign, $"every foreign frame arrived or was counted as dropped, and no own frame was ({statistics})");
        statistics.OwnFramesSkipped.Should().Be(own);
        bus.Statistics.FramesDropped.Should().Be(statistics.KernelDrops);
    }

    /// <summary>
    /// The correction under concurrency, without any real loss: three threads send own frames (one per send path) while
    /// two threads read the statistics and receive all the time. A read that counted a filtered own frame as a drop would
    /// stick (the count never goes down), so the count must still be 0 at the end. (A narrow race, such as counting a
    /// send just after its system call, is hidden here by the other threads' sends in flight; the order is argued in
    /// <c>OwnEchoFilter</c>'s remarks.)
    /// </summary>
    [SkippableFact]
    public async Task KernelDrops_ConcurrentOwnSendsAndStatisticsReads_StayZero()
    {
        RequireLinuxTransport(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var bus = new UdpMulticastBus(Options(group));
        SendFirstEchoAndSkipIt(bus);
        var own = 1L;
        var batch = Enumerable.Range(0, 16).Select(i => new CanMessage(0x100, [(byte)i])).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var tasks = new[]
        {
            Task.Run(() => { while (!stop.IsCancellationRequested) { bus.Send(new CanMessage(0x100, [1])); Interlocked.Increment(ref own); } }),
            Task.Run(() => { while (!stop.IsCancellationRequested) { Interlocked.Add(ref own, bus.SendBatch(batch)); } }),
            Task.Run(async () => { while (!stop.IsCancellationRequested) { await bus.SendAsync(new CanMessage(0x100, [2])); Interlocked.Increment(ref own); } }),
            Task.Run(() => { while (!stop.IsCancellationRequested) { _ = bus.MulticastStatistics; } }),
            Task.Run(() => { while (!stop.IsCancellationRequested) { _ = bus.Receive(TimeSpan.FromMilliseconds(50)); } }),
        };

        await Task.WhenAll(tasks);
        var statistics = bus.MulticastStatistics;

        statistics.KernelDrops.Should().Be(0, $"no frame was lost; {own} own frames were filtered ({statistics})");
        statistics.OwnFramesSkipped.Should().Be(Interlocked.Read(ref own));
        statistics.DatagramsReceived.Should().Be(0, "no own echo reached the bus");
    }

    /// <summary>
    /// The correction under concurrency: three threads send own frames (one per send path) while a foreign sender
    /// overruns a slow reader and another thread reads the statistics all the time. No sample may report more drops
    /// than foreign frames were missing at that moment, and at the end the count is exact.
    /// </summary>
    [SkippableFact]
    public async Task KernelDrops_ConcurrentOwnSendsAndStatisticsReads_NeverOverstateAndEndExact()
    {
        const int Foreign = 3_000;
        RequireLinuxTransport(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var bus = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = 1 });
        using var other = new UdpMulticastBus(Options(group));
        SendFirstEchoAndSkipIt(bus);

        using var stop = new CancellationTokenSource();
        var own = 1L;
        var foreignSent = 0L;
        var received = 0L;
        var overstated = new List<string>();
        var batch = Enumerable.Range(0, 16).Select(i => new CanMessage(0x100, [(byte)i])).ToArray();
        var senders = new[]
        {
            Task.Run(() => { while (!stop.IsCancellationRequested) { bus.Send(new CanMessage(0x100, [1])); Interlocked.Increment(ref own); } }),
            Task.Run(() => { while (!stop.IsCancellationRequested) { Interlocked.Add(ref own, bus.SendBatch(batch)); } }),
            Task.Run(async () => { while (!stop.IsCancellationRequested) { await bus.SendAsync(new CanMessage(0x100, [2])); Interlocked.Increment(ref own); } }),
        };
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var receivedBefore = Interlocked.Read(ref received);
                var drops = bus.MulticastStatistics.KernelDrops;
                var missing = Interlocked.Read(ref foreignSent) - receivedBefore;
                if (drops > missing)
                {
                    lock (overstated)
                    {
                        overstated.Add($"{drops} drops with {missing} foreign frames missing");
                    }
                }
            }
        });
        var reader = Task.Run(() =>
        {
            while (bus.Receive(TimeSpan.FromMilliseconds(500)) is { } message)
            {
                if (message.ArbitrationId == 0x100)
                {
                    throw new InvalidOperationException("an own frame was returned");
                }

                Interlocked.Increment(ref received);
                Thread.SpinWait(2000); // a slow reader: the tiny buffer overflows
            }
        });

        for (var i = 0; i < Foreign; i++)
        {
            Interlocked.Increment(ref foreignSent); // before the send: a sample never sees a drop of a frame not yet counted
            other.Send(new CanMessage(0x200, BitConverter.GetBytes(i)));
        }

        await reader;
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        await sampler;
        var statistics = bus.MulticastStatistics;

        overstated.Should().BeEmpty("the correction is never too small, whatever the interleaving");
        statistics.KernelDrops.Should().BeGreaterThan(0, "the slow reader's tiny buffer overflowed");
        (received + statistics.KernelDrops).Should().Be(Foreign, $"every foreign frame arrived or was counted as dropped ({statistics})");
        statistics.OwnFramesSkipped.Should().Be(Interlocked.Read(ref own), "every own frame was filtered or skipped, none counted as a drop");
    }

    /// <summary>The filter matches the address as well as the port: another host may send from the same port number.</summary>
    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void AnotherHostSendingFromTheSamePortNumber_GetsThrough(AddressFamily family)
    {
        RequireLinuxTransport(family);
        using var hosts = new TwoHosts();
        var group = NewGroup(family);
        using var bus = hosts.A.Invoke(() => new UdpMulticastBus(Options(group) with { HopLimit = 1 }));

        // On host A's thread: the bus tells a local source address by binding a probe socket to it, in the caller's namespace.
        hosts.A.Invoke(() =>
        {
            SendFirstEchoAndSkipIt(bus);
            return 0;
        });
        using var twin = hosts.B.Invoke(() => OpenSender(family, bus.SendPort, hosts.LinkB));
        var datagram = new byte[PythonCanWireFormat.MaxEncodedLength];
        var length = PythonCanWireFormat.Encode(new CanMessage(0x321, [3, 2, 1]), datagram);

        twin.SendTo(datagram.AsSpan(0, length), new IPEndPoint(IPAddress.Parse(group), TestPort));
        var received = bus.Receive(TimeSpan.FromSeconds(5));

        received.Should().NotBeNull($"host B's socket has port {bus.SendPort} too, but another address");
        received!.Value.ArbitrationId.Should().Be(0x321u);
        received.Value.IsRx.Should().BeTrue();
        bus.MulticastStatistics.OwnFramesSkipped.Should().Be(1);
    }

    /// <summary>A bus that only sends: its own frames neither fill its receive buffer nor count as drops.</summary>
    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void SendOnly_OwnFramesNeitherFillTheBufferNorCountAsDrops(AddressFamily family)
    {
        const int Frames = 1_000;
        RequireLinuxTransport(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = 1 });
        using var other = new UdpMulticastBus(Options(group));
        for (var i = 0; i < Frames; i++)
        {
            bus.Send(new CanMessage(0x100, [1]));
        }

        var sendOnly = bus.MulticastStatistics;
        other.Send(new CanMessage(0x200, BitConverter.GetBytes(7)));

        sendOnly.KernelDrops.Should().Be(0, $"a few-datagram buffer, 1,000 own frames, none of them a drop ({sendOnly})");
        sendOnly.OwnFramesSkipped.Should().Be(Frames);
        Drain(bus).Should().Equal([7], "the buffer was free for the next foreign frame");
        bus.MulticastStatistics.DatagramsReceived.Should().Be(1);
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void FilterOff_OwnFramesReachTheBusAndAreSkippedThere(AddressFamily family)
    {
        const int Frames = 100;
        RequireMulticast(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group) with { FilterOwnEchoesInKernel = false });
        for (var i = 0; i < Frames; i++)
        {
            bus.Send(new CanMessage(0x100, [1]));
        }

        bus.Receive(TimeSpan.FromMilliseconds(300)).Should().BeNull();
        var statistics = bus.MulticastStatistics;
        statistics.DatagramsReceived.Should().Be(Frames, "every own echo was read from the socket");
        statistics.OwnFramesSkipped.Should().Be(Frames);
        statistics.KernelDrops.Should().Be(0);
    }

    [SkippableTheory]
    [MemberData(nameof(Families))]
    public void ReceiveOwnMessagesOn_EveryOwnFrameIsReturned(AddressFamily family)
    {
        const int Frames = 200;
        RequireMulticast(family);
        var group = NewGroup(family);
        using var bus = new UdpMulticastBus(Options(group) with { ReceiveOwnMessages = true, ReceiveBufferSize = 8 << 20 });
        for (var i = 0; i < Frames; i++)
        {
            bus.Send(new CanMessage(0x100, BitConverter.GetBytes(i)));
        }

        var frames = new List<CanMessage>();
        while (bus.Receive(TimeSpan.FromMilliseconds(500)) is { } message)
        {
            frames.Add(message);
        }

        frames.Select(m => BitConverter.ToInt32(m.Data)).Should().Equal(Enumerable.Range(0, Frames), "no filter: own frames are the bus's to return");
        frames.Should().OnlyContain(m => !m.IsRx);
        bus.MulticastStatistics.KernelDrops.Should().Be(0);
    }

    /// <summary>Sends frame 0 and looks for it: the bus must skip it (in the kernel, or in the bus, which installs the filter).</summary>
    private static void SendFirstEchoAndSkipIt(UdpMulticastBus bus)
    {
        bus.Send(new CanMessage(0x100, BitConverter.GetBytes(0)));
        bus.Receive(TimeSpan.FromMilliseconds(200)).Should().BeNull("the bus's own frame is skipped");
        bus.MulticastStatistics.OwnFramesSkipped.Should().Be(1, "the echo came back to the bus");
    }

    private static Socket OpenSender(AddressFamily family, int port, string link)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        var ipv6 = family == AddressFamily.InterNetworkV6;
        var level = ipv6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
        socket.SetSocketOption(level, SocketOptionName.MulticastTimeToLive, 1);
        if (ipv6)
        {
            var index = NetworkInterface.GetAllNetworkInterfaces().Single(i => i.Name == link).GetIPProperties().GetIPv6Properties().Index;
            socket.SetSocketOption(level, SocketOptionName.MulticastInterface, index);
        }

        socket.Bind(new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, port));
        return socket;
    }

    private static void RequireLinuxTransport(AddressFamily family)
    {
        RequireMulticast(family);
        Skip.IfNot(OperatingSystem.IsLinux(), "the kernel filter is Linux's (elsewhere the bus skips own echoes itself)");
    }

    /// <summary>The foreign frames' numbers (own frames, which must not come, as -1).</summary>
    private static List<int> Drain(UdpMulticastBus bus)
    {
        var values = new List<int>();
        while (bus.Receive(TimeSpan.FromMilliseconds(500)) is { } message)
        {
            values.Add(message.ArbitrationId == 0x100 && message.Data.Length != 4 ? -1 : BitConverter.ToInt32(message.Data));
        }

        return values;
    }
}
