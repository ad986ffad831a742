using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// The asynchronous receive path over real sockets while it waits (the receiver's hand-written state machines: waiting on
/// the socket's readiness, waiting for a synchronous reader, and ReadAllAsync's wait): filters, cancellation, dispose,
/// and each frame to exactly one caller when synchronous and asynchronous receivers mix.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class AsyncReceiveTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    public static TheoryData<bool> Transports => new() { false, true };

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public async Task ReceiveAsync_FiltersRejectWhatArrivesWhileWaiting_ReturnsTheFirstMatch(bool portable)
    {
        using var sender = Open(portable);
        using var bus = Open(portable, sender);
        bus.SetFilters([new CanFilter(0x100, 0x7FF)]);
        var pending = bus.ReceiveAsync().AsTask();
        pending.IsCompleted.Should().BeFalse();

        sender.Send(new CanMessage(0x0FF, [1]));
        sender.Send(new CanMessage(0x100, [2]));

        (await pending.WaitAsync(Long)).Data.ToArray().Should().Equal(2);
        bus.Statistics.FramesFilteredOut.Should().Be(1);
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public async Task ReceiveAsync_CancelledWhileWaiting_ThrowsThenTheNextReceiveGetsTheFrame(bool portable)
    {
        using var sender = Open(portable);
        using var bus = Open(portable, sender);
        using var cancel = new CancellationTokenSource();
        var pending = bus.ReceiveAsync(cancel.Token).AsTask();
        pending.IsCompleted.Should().BeFalse();

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => pending.WaitAsync(Long)).Should().ThrowAsync<OperationCanceledException>();

        sender.Send(new CanMessage(0x101, [3]));
        (await bus.ReceiveAsync().AsTask().WaitAsync(Long)).ArbitrationId.Should().Be(0x101);
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public async Task ReadAllAsync_FramesArriveWhileWaiting_YieldsOnlyMatchesThenEndsAtDispose(bool portable)
    {
        using var sender = Open(portable);
        var bus = Open(portable, sender);
        bus.SetFilters([new CanFilter(0x200, 0x7F0)]);
        await using var frames = bus.ReadAllAsync().GetAsyncEnumerator();

        var next = frames.MoveNextAsync().AsTask();
        next.IsCompleted.Should().BeFalse();
        sender.Send(new CanMessage(0x300, [0]));
        sender.Send(new CanMessage(0x201, [1]));
        (await next.WaitAsync(Long)).Should().BeTrue();
        frames.Current.ArbitrationId.Should().Be(0x201);

        var last = frames.MoveNextAsync().AsTask();
        last.IsCompleted.Should().BeFalse();
        await bus.DisposeAsync();
        (await last.WaitAsync(Long)).Should().BeFalse("disposing the bus ends ReadAllAsync without an error");
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public async Task ReceiveAsync_WhileASynchronousReceiverWaitsInTheSocket_EachFrameGoesToExactlyOneOfThem(bool portable)
    {
        const int Frames = 200;
        using var sender = Open(portable);
        using var bus = Open(portable, sender);
        var synchronous = new List<int>();
        var asynchronous = new List<int>();
        using var stop = new CancellationTokenSource();
        var syncThread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (bus.TryReceive(out var message, TimeSpan.FromMilliseconds(50)))
                {
                    synchronous.Add(BitConverter.ToInt32(message.Data));
                }
            }
        });
        syncThread.Start();
        var asyncLoop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var message = await bus.ReceiveAsync(stop.Token);
                    asynchronous.Add(BitConverter.ToInt32(message.Data));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x300, BitConverter.GetBytes(i)));
            if (i % 10 == 0)
            {
                Thread.Sleep(1); // lets both go back to waiting now and then
            }
        }

        WaitUntil(() => synchronous.Count + asynchronous.Count >= Frames, "every frame arrives", Long);
        await stop.CancelAsync();
        syncThread.Join(Long).Should().BeTrue();
        await asyncLoop.WaitAsync(Long);

        var all = synchronous.Concat(asynchronous).ToList();
        all.Should().OnlyHaveUniqueItems().And.HaveCount(Frames, $"kernel drops: {bus.MulticastStatistics.KernelDrops}");
        synchronous.Should().BeInAscendingOrder();
        asynchronous.Should().BeInAscendingOrder();
    }

    private static UdpMulticastBus Open(bool portable, UdpMulticastBus? sameGroupAs = null)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = sameGroupAs?.Group.ToString() ?? NewGroup(AddressFamily.InterNetwork);
        return new UdpMulticastBus(Options(group) with { ForcePortableTransport = portable });
    }
}
