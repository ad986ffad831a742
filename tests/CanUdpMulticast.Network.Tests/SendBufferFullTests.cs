using System.Diagnostics;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// A full send buffer: on loopback the kernel frees a datagram's send-buffer charge at once, so these tests send over a
/// private two-host link whose sending end has a token-bucket qdisc that lets almost nothing out (8 bit/s, one datagram
/// of burst) and holds the rest, charged to the socket. The send socket is non-blocking: a send that finds no room waits
/// for it within its timeout, and the timeout is never cut short.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class SendBufferFullTests
{
    private static readonly CanMessage Frame = new(0x123, [1, 2, 3, 4, 5, 6, 7, 8]);

    public static TheoryData<bool> Transports => new() { false, true };

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void Send_SendBufferFull_ThrowsCanTimeoutExceptionNoEarlierThanTheTimeout(bool portable)
    {
        using var link = new StalledLink();
        using var bus = link.OpenSender(portable);
        var accepted = Fill(bus);

        var clock = Stopwatch.StartNew();
        var send = () => bus.Send(Frame, TimeSpan.FromMilliseconds(200));

        send.Should().Throw<CanTimeoutException>().WithMessage("*send buffer stayed full*");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200)).And.BeLessThan(TimeSpan.FromSeconds(10));
        bus.Statistics.FramesSent.Should().Be(accepted, "a frame that timed out was not sent");
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void SendBatch_SendBufferFull_ThrowsCanTimeoutExceptionNoEarlierThanTheTimeout(bool portable)
    {
        using var link = new StalledLink();
        using var bus = link.OpenSender(portable);
        var accepted = Fill(bus);
        var frames = Enumerable.Repeat(Frame, 10).ToArray();

        var clock = Stopwatch.StartNew();
        var send = () => bus.SendBatch(frames, TimeSpan.FromMilliseconds(100));

        send.Should().Throw<CanTimeoutException>().WithMessage("*send buffer stayed full*");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100)).And.BeLessThan(TimeSpan.FromSeconds(10));
        bus.Statistics.FramesSent.Should().Be(accepted);
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public async Task SendAsync_SendBufferFull_WaitsForRoomUntilCancelled(bool portable)
    {
        using var link = new StalledLink();
        using var bus = link.OpenSender(portable);
        var accepted = Fill(bus);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        var send = async () => await bus.SendAsync(Frame, cancel.Token);

        await send.Should().ThrowAsync<OperationCanceledException>("the send waits for room that does not come, until cancelled");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150)).And.BeLessThan(TimeSpan.FromSeconds(10));
        bus.Statistics.FramesSent.Should().Be(accepted, "a frame whose send was cancelled was not sent");
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void Dispose_SendWaitingForRoomForever_Ends(bool portable)
    {
        using var link = new StalledLink();
        var bus = link.OpenSender(portable);
        Fill(bus);
        Exception? failure = null;
        var sender = new Thread(() =>
        {
            try
            {
                bus.Send(Frame);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        sender.Start();
        sender.Join(TimeSpan.FromMilliseconds(100)).Should().BeFalse("the send waits for room that does not come");

        bus.Dispose();

        sender.Join(TimeSpan.FromSeconds(10)).Should().BeTrue("disposing the bus ends a send that waits for room");
        failure.Should().BeOfType<ObjectDisposedException>();
    }

    /// <summary>Sends with a zero timeout until the send buffer is full; returns how many frames it took.</summary>
    private static long Fill(CanBus bus)
    {
        for (long accepted = 0; accepted < 1_000_000; accepted++)
        {
            try
            {
                bus.Send(Frame, TimeSpan.Zero);
            }
            catch (CanTimeoutException)
            {
                accepted.Should().BeGreaterThan(0, "the first frames fit in the empty send buffer");
                bus.Statistics.FramesSent.Should().Be(accepted);
                return accepted;
            }
        }

        throw new InvalidOperationException("the send buffer never filled: the qdisc let the datagrams through");
    }

    /// <summary>Two hosts whose link lets (almost) nothing out of host A, so datagrams queue in A's qdisc.</summary>
    private sealed class StalledLink : IDisposable
    {
        private readonly TwoHosts _hosts;
        private readonly string _group;

        public StalledLink()
        {
            RequireMulticast(AddressFamily.InterNetwork);
            _hosts = new TwoHosts();
            _group = NewGroup(AddressFamily.InterNetwork);
            try
            {
                // The queue limit (100 MB) is far above the socket's send buffer: the qdisc holds, it does not drop.
                _hosts.A.Run($"tc qdisc add dev {_hosts.LinkA} root tbf rate 8bit burst 1600 limit 100000000");
            }
            catch (InvalidOperationException ex)
            {
                // No tc or no tbf qdisc (sch_tbf) here: skipped, or failed under CI=true.
                _hosts.Dispose();
                RequireMulticastFailure($"a token-bucket qdisc cannot be set up here ({ex.Message})");
                throw;
            }
            catch
            {
                _hosts.Dispose();
                throw;
            }
        }

        // Hop limit 1: with 0 the kernel drops the datagram before the qdisc (only the loopback copy is made).
        public UdpMulticastBus OpenSender(bool portable) => _hosts.A.Invoke(() =>
            new UdpMulticastBus(Options(_group) with { HopLimit = 1, ForcePortableTransport = portable }));

        public void Dispose() => _hosts.Dispose();
    }
}
