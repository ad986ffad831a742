using System.Diagnostics;
using System.Net.Sockets;
using CanUdpMulticast.Faults.Tests.Support;
using CanUdpMulticast.Interfaces.UdpMulticast;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Faults.Tests;

/// <summary>
/// A 100,000-frame burst into a receiver with a tiny receive buffer (the kernel's minimum), so most frames are lost at
/// the receiving socket: the receiver must account for every one of them, whether it read during the burst or not.
/// </summary>
[Collection(FaultGroup.Name)]
public sealed class BurstTests
{
    private const int TinyBuffer = 4096;

    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void Burst_TinyBufferReceiverReadingThenOneLateFrame_ReceivedPlusDropsEqualsSent(AddressFamily family) =>
        ReadingBurst(family, trailer: true, "reading + late frame");

    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void Burst_TinyBufferReceiverReading_ReceivedPlusDropsEqualsSent(AddressFamily family) =>
        // Drops after the last datagram that arrived must be counted without a later datagram (D2).
        ReadingBurst(family, trailer: false, "reading");

    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void Burst_TinyBufferReceiverNotReading_DropsAreCurrentAndAccountFor(AddressFamily family)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        using var receiver = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = TinyBuffer });
        using var sender = new UdpMulticastBus(Options(group));
        var port = receiver.Options.Port;
        var before = LossAccounting.ProcNetUdpDrops(port);

        var sent = SendBurst(sender, trailer: false);
        var kernelSays = LossAccounting.ProcNetUdpDrops(port) - before;

        // Nothing has been read, and nothing arrives any more: the statistics must already show the loss (D2).
        // /proc/net/udp sums every socket on the port, the sender bus's own (also unread) receive socket included,
        // so it bounds the receiver's drops from above; reading afterwards must not reveal any drop not yet reported.
        var droppedBeforeReading = receiver.Statistics.FramesDropped;
        droppedBeforeReading.Should().BePositive("drops are current whenever statistics are read, not only once a later datagram arrives");
        droppedBeforeReading.Should().BeLessThanOrEqualTo(kernelSays);

        long received = 0;
        var batch = new CanMessage[64];
        int n;
        while ((n = receiver.ReceiveBatch(batch, TimeSpan.FromMilliseconds(300))) > 0)
        {
            received += n;
        }

        receiver.Statistics.FramesDropped.Should().Be(droppedBeforeReading, "every drop was already reported before reading");
        LossAccounting.Check($"burst {family} not reading", sent, received, receiver.Statistics.FramesDropped,
            $"kernelDrops={receiver.MulticastStatistics.KernelDrops} procNetUdpDrops={LossAccounting.ProcNetUdpDrops(port) - before}");
    }

    /// <summary>
    /// Sends the burst as fast as the sender goes (batches of 64); returns the frames sent. With
    /// <paramref name="trailer"/>, one more frame follows once the receiver's queue has room again (after 500 ms), so
    /// the kernel's drop count reaches the receiver on a datagram even without D2's fix.
    /// </summary>
    /// <summary>A burst into a tiny buffer while a thread reads; then received + reported drops must equal sent.</summary>
    private static void ReadingBurst(AddressFamily family, bool trailer, string label)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        using var receiver = new UdpMulticastBus(Options(group) with { ReceiveBufferSize = TinyBuffer });
        using var sender = new UdpMulticastBus(Options(group));
        var port = receiver.Options.Port;
        var before = LossAccounting.ProcNetUdpDrops(port);
        long received = 0;
        using var done = new CancellationTokenSource();
        var reader = new Thread(() =>
        {
            var batch = new CanMessage[64];
            while (!done.IsCancellationRequested)
            {
                received += receiver.ReceiveBatch(batch, TimeSpan.FromMilliseconds(20));
            }
        });
        reader.Start();

        var sent = SendBurst(sender, trailer);
        // Drain: wait until the receiver has seen nothing for 300 ms.
        var last = -1L;
        while (Volatile.Read(ref received) != last)
        {
            last = Volatile.Read(ref received);
            Thread.Sleep(300);
        }

        done.Cancel();
        reader.Join();
        var dropped = receiver.Statistics.FramesDropped;
        LossAccounting.Check($"burst {family} {label}", sent, received, dropped,
            $"kernelDrops={receiver.MulticastStatistics.KernelDrops} procNetUdpDrops={LossAccounting.ProcNetUdpDrops(port) - before}");
    }

    private static long SendBurst(UdpMulticastBus sender, bool trailer)
    {
        var frames = new CanMessage[64];
        var data = new byte[8];
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (sent < FaultScale.Burst)
        {
            var count = (int)Math.Min(frames.Length, FaultScale.Burst - sent);
            for (var i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(data, sent + i);
                frames[i] = new CanMessage(0x100, data);
            }

            var done = 0;
            while (done < count)
            {
                done += sender.SendBatch(frames.AsSpan(done, count - done));
            }

            sent += count;
        }

        if (trailer)
        {
            Thread.Sleep(500);
            sender.Send(new CanMessage(0x101, [0xff]));
            sent++;
        }

        sender.Statistics.FramesSent.Should().Be(sent);
        FaultReport.Add("burst send", $"frames={sent} seconds={clock.Elapsed.TotalSeconds:F2}");
        return sent;
    }
}
