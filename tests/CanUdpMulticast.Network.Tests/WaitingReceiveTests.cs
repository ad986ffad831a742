using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// A blocking receive takes the datagram as it waits (Linux: one blocking <c>recvmmsg</c> with <c>SO_RCVTIMEO</c> for
/// long timeouts, <c>poll</c> for short ones and after an asynchronous wait made the socket non-blocking): timeouts
/// hold, nothing spins, frames keep their order and reach exactly one of several waiting threads.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class WaitingReceiveTests
{
    private const string WaiterName = "canudp-waiter";

    public static TheoryData<bool> Transports => new() { false, true };

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void Receive_LongAndShortTimeouts_NeverReturnEarlyOrSpin(bool portable)
    {
        using var bus = Open(portable);
        foreach (var timeout in new[] { TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(350), TimeSpan.FromMilliseconds(900) })
        {
            var cpu = ThreadCpuTime();
            var clock = Stopwatch.StartNew();
            bus.Receive(timeout).Should().BeNull();
            clock.Elapsed.Should().BeGreaterThanOrEqualTo(timeout).And.BeLessThan(timeout + TimeSpan.FromSeconds(1));
            (ThreadCpuTime() - cpu).Should().BeLessThan(TimeSpan.FromMilliseconds(50), $"a {timeout.TotalMilliseconds} ms wait sleeps in the kernel");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public async Task Receive_AfterAnAsyncWait_StillTimesOutWithoutSpinningAndReceives(bool portable)
    {
        using var sender = Open(portable);
        using var bus = Open(portable, sender);

        // An asynchronous wait hands the socket to the runtime's engine, which makes the descriptor non-blocking for good.
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            await FluentActions.Awaiting(() => bus.ReceiveAsync(cancel.Token).AsTask()).Should().ThrowAsync<OperationCanceledException>();
        }

        var result = await Task.Factory.StartNew(() =>
        {
            var cpu = ThreadCpuTime();
            var clock = Stopwatch.StartNew();
            var nothing = bus.Receive(TimeSpan.FromMilliseconds(600));
            return (nothing, clock.Elapsed, ThreadCpuTime() - cpu);
        }, TaskCreationOptions.LongRunning);
        result.nothing.Should().BeNull();
        result.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(600));
        result.Item3.Should().BeLessThan(TimeSpan.FromMilliseconds(50), "the wait sleeps in poll, it does not spin on EAGAIN");

        var waiter = StartWaiter(() => bus.Receive(TimeSpan.FromSeconds(10)));
        WaitUntil(() => IsWaitingInKernel(WaiterName), "the receiver waits in the kernel");
        sender.Send(new CanMessage(0x321, [1, 2, 3]));
        waiter.Join(TimeSpan.FromSeconds(5)).Should().BeTrue();
        waiter.Result.Should().NotBeNull();
        waiter.Result!.Value.ArbitrationId.Should().Be(0x321);
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void Receive_BurstArrivingWhileWaiting_AllFramesInOrder(bool portable)
    {
        const int Frames = 300;
        using var sender = Open(portable);
        using var bus = Open(portable, sender);
        var received = new List<int>();
        var waiter = new Thread(() =>
        {
            // The first frame is taken by the waiting receive, the rest from the batch and the socket behind it.
            while (received.Count < Frames && bus.Receive(TimeSpan.FromSeconds(5)) is { } message)
            {
                received.Add(BitConverter.ToInt32(message.Data));
            }
        })
        { Name = WaiterName };
        waiter.Start();
        WaitUntil(() => IsWaitingInKernel(WaiterName), "the receiver waits in the kernel");

        var frames = Enumerable.Range(0, Frames).Select(i => new CanMessage(0x100, BitConverter.GetBytes(i))).ToArray();
        sender.SendBatch(frames).Should().Be(Frames);
        waiter.Join(TimeSpan.FromSeconds(20)).Should().BeTrue();

        received.Should().Equal(Enumerable.Range(0, Frames));
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void Receive_WaitingAndNonWaitingThreadsTogether_EachFrameOnceAndInOrderPerThread(bool portable)
    {
        const int Frames = 2000;
        using var sender = Open(portable);
        using var bus = Open(portable, sender);
        var perThread = Enumerable.Range(0, 4).Select(_ => new List<int>()).ToArray();
        var threads = perThread.Select((list, index) => new Thread(() =>
        {
            // Thread 0 polls without waiting; the others wait with long (blocking path) or short (poll path) timeouts.
            var timeout = index switch { 0 => TimeSpan.Zero, 1 => TimeSpan.FromMilliseconds(20), _ => TimeSpan.FromMilliseconds(1500) };
            var idleSince = Stopwatch.StartNew();
            while (idleSince.Elapsed < TimeSpan.FromSeconds(1.5))
            {
                if (bus.TryReceive(out var message, timeout))
                {
                    list.Add(BitConverter.ToInt32(message.Data));
                    idleSince.Restart();
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x200, BitConverter.GetBytes(i)));
            if (i % 50 == 0)
            {
                Thread.Sleep(1); // lets the waiting threads go back to sleep now and then
            }
        }

        threads.ForEach(t => t.Join());
        var all = perThread.SelectMany(list => list).ToList();
        all.Should().OnlyHaveUniqueItems();
        all.Should().HaveCount(Frames, $"kernel drops: {bus.MulticastStatistics.KernelDrops}");
        foreach (var list in perThread)
        {
            list.Should().BeInAscendingOrder("one thread sees the frames it gets in the order they were sent");
        }
    }

    private static UdpMulticastBus Open(bool portable, UdpMulticastBus? sameGroupAs = null)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = sameGroupAs?.Group.ToString() ?? NewGroup(AddressFamily.InterNetwork);
        return new UdpMulticastBus(Options(group) with { ForcePortableTransport = portable });
    }

    private static ResultThread<CanMessage?> StartWaiter(Func<CanMessage?> receive)
    {
        var thread = new ResultThread<CanMessage?>(receive, WaiterName);
        thread.Start();
        return thread;
    }

    // CPU time of the calling thread, from the scheduler's nanosecond account.
    private static TimeSpan ThreadCpuTime()
    {
        var first = File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0];
        return TimeSpan.FromTicks(long.Parse(first, CultureInfo.InvariantCulture) / 100);
    }

    private sealed class ResultThread<T>
    {
        private readonly Thread _thread;

        public ResultThread(Func<T> work, string name) => _thread = new Thread(() => Result = work()) { Name = name };

        public T? Result { get; private set; }

        public void Start() => _thread.Start();

        public bool Join(TimeSpan timeout) => _thread.Join(timeout);
    }
}
