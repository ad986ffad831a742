using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>Dispose is idempotent, wakes blocked receivers at once (python-can's wait out their timeout), and releases everything.</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class DisposeTests
{
    private const string BlockedReceiverName = "canudp-blocked";
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public void Dispose_WhileAnotherThreadIsBlockedInReceiveForever_ItThrowsObjectDisposedAtOnce()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        DisposeWakesABlockedReceiveForever(new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork))));
    }

    /// <summary>
    /// After lone frames a waiting receive asks the socket for one datagram (<c>recvmsg</c> instead of
    /// <c>recvmmsg</c>): it is woken by dispose all the same, and the end-of-file it then reads is not taken for a frame.
    /// </summary>
    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void Dispose_WhileBlockedAfterLoneFrames_ItThrowsObjectDisposedAtOnce(AddressFamily family)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        var bus = new UdpMulticastBus(Options(group));
        using var sender = new UdpMulticastBus(Options(group));
        for (var i = 0; i < 3; i++)
        {
            sender.Send(new CanMessage(0x10, [(byte)i]));
            bus.Receive(TimeSpan.FromSeconds(5)).Should().NotBeNull();
        }

        DisposeWakesABlockedReceiveForever(bus);
    }

    [SkippableFact]
    public async Task Dispose_WhileReceiveAsyncIsPending_ItThrowsObjectDisposedAtOnce()
    {
        RequireMulticast(AddressFamily.InterNetworkV6);
        var bus = new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetworkV6)));
        var pending = bus.ReceiveAsync().AsTask();
        pending.IsCompleted.Should().BeFalse();

        var clock = Stopwatch.StartNew();
        await bus.DisposeAsync();
        var outcome = await Record.ExceptionAsync(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));

        clock.Elapsed.Should().BeLessThan(Prompt);
        outcome.Should().BeOfType<ObjectDisposedException>();
    }

    [SkippableFact]
    public void Dispose_ClosesBothSocketsAndLeavesTheGroup()
    {
        RequireMulticast(AddressFamily.InterNetworkV6);
        var group = NewGroup(AddressFamily.InterNetworkV6);
        var sockets = SocketCensus.OpenSockets();
        var threads = SocketCensus.ReceiveThreads();
        var bus = new UdpMulticastBus(Options(group));
        SocketCensus.OpenSockets().Should().Be(sockets + 2, "a bus has a receive and a send socket");
        SocketCensus.ReceiveThreads().Should().Be(threads, "a bus receives on the caller's thread and starts none");
        Memberships().Should().Contain(Hex(group));

        bus.Dispose();

        SocketCensus.OpenSockets().Should().Be(sockets);
        Memberships().Should().NotContain(Hex(group));
        using var exclusive = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        exclusive.Invoking(s => s.Bind(new IPEndPoint(IPAddress.IPv6Any, TestPort))).Should().NotThrow("no socket holds the port any more");
    }

    [SkippableFact]
    public void Dispose_FromManyThreadsAtOnce_RunsOnce()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var bus = new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)));
        var sockets = SocketCensus.OpenSockets();

        Parallel.For(0, 16, _ => bus.Dispose());

        bus.IsDisposed.Should().BeTrue();
        SocketCensus.OpenSockets().Should().Be(sockets - 2);
    }

    [SkippableFact]
    public void Dispose_WhileOtherThreadsSend_SendsEitherSucceedOrThrowObjectDisposed()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var bus = new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)));
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var go = new ManualResetEventSlim();
        var senders = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            go.Wait();
            for (var i = 0; i < 2000; i++)
            {
                try
                {
                    bus.Send(new CanMessage(1, [1]));
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (Exception ex)
                {
                    unexpected.Add(ex);
                    return;
                }
            }
        })).ToList();
        senders.ForEach(t => t.Start());

        go.Set();
        bus.Dispose();
        senders.ForEach(t => t.Join());

        unexpected.Should().BeEmpty();
    }

    /// <summary>The IPv6 groups joined in this namespace, as hex (Linux /proc/net/igmp6).</summary>
    private static List<string> Memberships() =>
        [.. File.ReadLines("/proc/net/igmp6").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 3).Select(c => c[2])];

    private static string Hex(string group) => Convert.ToHexStringLower(IPAddress.Parse(group).GetAddressBytes());

    /// <summary>
    /// Blocks a thread in <c>Receive()</c> without a timeout until it waits in the kernel, disposes the bus, and checks the
    /// receive ends promptly with <see cref="ObjectDisposedException"/> (not a frame).
    /// </summary>
    private static void DisposeWakesABlockedReceiveForever(UdpMulticastBus bus)
    {
        Exception? thrown = null;
        CanMessage? received = null;
        var receiver = new Thread(() =>
        {
            try
            {
                received = bus.Receive(); // no timeout: waits forever
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        })
        { Name = BlockedReceiverName };
        receiver.Start();
        WaitUntil(() => IsWaitingInKernel(BlockedReceiverName), "the receiver blocks in the kernel, waiting for the socket");

        var clock = Stopwatch.StartNew();
        bus.Dispose();
        receiver.Join(TimeSpan.FromSeconds(5)).Should().BeTrue();

        clock.Elapsed.Should().BeLessThan(Prompt);
        thrown.Should().BeOfType<ObjectDisposedException>();
        received.Should().BeNull();
    }
}
