using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Issue 4, target 2: in steady state the hot paths allocate nothing per frame. Each test sends and receives 10,000
/// classic frames over real sockets after a warm-up (not timed). Send, SendBatch, TryReceive, Receive, ReceiveBatch and
/// the synchronously completing ReceiveAsync/ReadAllAsync are measured exactly on the calling thread (the bus receives on
/// the caller's thread: there is no receive thread); asynchronous receives that really wait are measured process-wide.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class ZeroAllocationTests : IDisposable
{
    private const int Frames = 10_000;
    private const int WarmupFrames = 3_000;
    private const int Window = 32; // frames in flight: far below the receive buffer, so nothing is lost

    private const int Attempts = 4;
    private const int BytesPerExtraWorkItem = 192; // the runtime's ~130 measured, with room
    private const int MaxExtraWorkItems = Frames / 10;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(30);
    private readonly CanMessage _frame = new(0x123, [1, 2, 3, 4, 5, 6, 7, 8]);
    private readonly UdpMulticastBus _sender;
    private readonly UdpMulticastBus _receiver;
    private readonly int _receiveSocket;
    private readonly SemaphoreSlim _sendOne = new(0);
    private readonly CancellationTokenSource _cancel = new(TimeSpan.FromMinutes(2));
    private readonly Thread _sendThread;

    public ZeroAllocationTests()
    {
        MulticastTestEnvironment.RequireMulticast(AddressFamily.InterNetwork);
        var group = MulticastTestEnvironment.NewGroup(AddressFamily.InterNetwork);
        _sender = new UdpMulticastBus(MulticastTestEnvironment.Options(group));
        (_receiver, _receiveSocket) = QueuedDatagrams.Open(() => new UdpMulticastBus(MulticastTestEnvironment.Options(group)));
        _sendThread = new Thread(SendOnRequest) { IsBackground = true, Name = "zero-allocation sender" };
        _sendThread.Start();
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _sendThread.Join();
        _sender.Dispose();
        _receiver.Dispose();
        _sendOne.Dispose();
        _cancel.Dispose();
    }

    [SkippableFact]
    public void SendAndReceive_SteadyState_AllocatesNothingOnTheCallingThread()
    {
        // Send, TryReceive (no wait) and Receive (blocking wait in the kernel) all run on this thread.
        RunSync(WarmupFrames);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RunSync(Frames);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0, $"Send, TryReceive and Receive of {Frames} frames must not allocate");
    }

    [SkippableFact]
    public void SendBatchAndReceiveBatch_SteadyState_AllocatesNothingOnTheCallingThread()
    {
        var batch = Enumerable.Repeat(_frame, Window).ToArray();
        var received = new CanMessage[Window];
        void Run(int frames)
        {
            for (var sent = 0; sent < frames; sent += Window)
            {
                Check(_sender.SendBatch(batch) == Window, "SendBatch sent fewer frames");
                for (var got = 0; got < Window;)
                {
                    var n = _receiver.ReceiveBatch(received.AsSpan(0, Window - got), Timeout);
                    Check(n > 0, "a frame sent on the loopback did not arrive");
                    got += n;
                }
            }
        }

        Run(WarmupFrames);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(Frames);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0, $"SendBatch and ReceiveBatch of {Frames} frames must not allocate");
    }

    [SkippableFact]
    public async Task ReceiveAsyncAndReadAllAsync_FramesAlreadyThere_AllocateNothingOnTheCallingThread()
    {
        // The frames are queued before each call, so the awaits complete synchronously on this thread: exact per-thread count.
        await using var frames = _receiver.ReadAllAsync(_cancel.Token).GetAsyncEnumerator(_cancel.Token);
        async Task<long> Run(int count)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var sent = 0; sent < count; sent += Window)
            {
                for (var i = 0; i < Window; i++)
                {
                    _sender.Send(_frame);
                }

                WaitQueued(Window);
                for (var i = 0; i < Window; i++)
                {
                    var pending = i % 2 == 0 ? _receiver.ReceiveAsync(_cancel.Token) : NextAsync(frames);
                    Check(pending.IsCompleted, "the frame was already there");
                    Check((await pending.ConfigureAwait(false)).ArbitrationId == 0x123, "unexpected frame");
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        await Run(WarmupFrames);
        var allocated = await Run(Frames);

        allocated.Should().Be(0, $"ReceiveAsync and ReadAllAsync of {Frames} frames that are already there must not allocate");
    }

    [SkippableFact]
    public async Task ReceiveAsync_WaitingForEveryFrame_AllocatesNothingPerFrame()
    {
        var windows = new List<WaitingWindow>();
        while (windows.Count < Attempts && !windows.Exists(w => w.Passes))
        {
            windows.Add(await MeasureAsync(static (bus, _, ct) => bus.ReceiveAsync(ct), null));
        }

        windows.Should().Contain(w => w.Passes, PerFrameBecause("ReceiveAsync", windows));
    }

    [SkippableFact]
    public async Task ReadAllAsync_WaitingForEveryFrame_AllocatesNothingPerFrame()
    {
        await using var frames = _receiver.ReadAllAsync(_cancel.Token).GetAsyncEnumerator(_cancel.Token);
        var windows = new List<WaitingWindow>();
        while (windows.Count < Attempts && !windows.Exists(w => w.Passes))
        {
            windows.Add(await MeasureAsync(static (_, e, _) => NextAsync(e!), frames));
        }

        windows.Should().Contain(w => w.Passes, PerFrameBecause("ReadAllAsync", windows));
    }

    /// <summary>
    /// Why a waiting asynchronous receive is judged per frame rather than at exactly 0 bytes: its continuations run on
    /// thread-pool threads, so only the process-wide count (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) sees them, and
    /// the runtime itself allocates now and then while the pool and the socket engine work. A per-frame allocation would
    /// be at least 24 bytes per frame, 240,000 bytes over the window; the budget (<see cref="WaitingWindow"/>) stays far
    /// below that.
    /// </summary>
    private static string PerFrameBecause(string api, List<WaitingWindow> windows) =>
        $"{api} of {Frames} frames that each had to be waited for must not allocate per frame (less than 1 byte per frame " +
        $"in the process, plus the runtime's own cost of each extra thread-pool work item); windows: {string.Join("; ", windows)}";

    /// <summary>
    /// One measured window of a waiting receive: the process's allocation and the thread-pool work items completed.
    /// </summary>
    /// <remarks>
    /// <para>In a quiet window the pool runs one work item per frame (the socket engine's completion), and the process
    /// allocates a few hundred bytes in all. On a loaded machine the runtime runs some extra work items and allocates
    /// about 130 bytes with each: a plain <c>Socket.ReceiveAsync</c> loop without this library, under two CPU hogs on
    /// this 2-CPU machine, allocated 1,904-17,024 bytes over 10,000 frames with 14-128 extra work items (about 130 bytes
    /// each), and 168-336 bytes when quiet. The library's windows under the same load: about 120 bytes per extra work
    /// item too.</para>
    /// <para>So the budget is 1 byte per frame plus <see cref="BytesPerExtraWorkItem"/> per extra work item, and a window
    /// with more than <see cref="MaxExtraWorkItems"/> extra work items is too noisy to judge (another attempt runs). At
    /// that limit the budget is 202,000 bytes: a per-frame allocation (240,000 bytes or more) still fails.</para>
    /// </remarks>
    private readonly record struct WaitingWindow(long Allocated, long WorkItems)
    {
        public long ExtraWorkItems => Math.Max(0, WorkItems - Frames);

        public bool Quiet => ExtraWorkItems <= MaxExtraWorkItems;

        public long Budget => Frames + ExtraWorkItems * BytesPerExtraWorkItem;

        public bool Passes => Quiet && Allocated < Budget;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<CanMessage> NextAsync(IAsyncEnumerator<CanMessage> frames) =>
        await frames.MoveNextAsync().ConfigureAwait(false) ? frames.Current : throw new InvalidOperationException("ReadAllAsync ended");

    private void RunSync(int frames)
    {
        for (var sent = 0; sent < frames; sent += Window)
        {
            for (var i = 0; i < Window; i++)
            {
                _sender.Send(_frame);
            }

            // Half with TryReceive (frames already there), half with a blocking Receive.
            for (var i = 0; i < Window; i++)
            {
                if (i % 2 == 0 && _receiver.TryReceive(out var message))
                {
                    Check(message.ArbitrationId == 0x123, "unexpected frame");
                    continue;
                }

                Check(_receiver.Receive(Timeout)?.ArbitrationId == 0x123, "a frame sent on the loopback did not arrive");
            }
        }
    }

    /// <summary>
    /// Receives <see cref="WarmupFrames"/> and then <see cref="Frames"/> frames one at a time and returns the process's
    /// allocation growth and the thread pool's completed work items over the second part. Each receive is started (and
    /// waits) before the sender thread sends its frame, so every await goes through the real asynchronous wait. The
    /// sender thread, the semaphore and this method's own state machine exist before the measured part starts.
    /// </summary>
    private async Task<WaitingWindow> MeasureAsync(
        Func<UdpMulticastBus, IAsyncEnumerator<CanMessage>?, CancellationToken, ValueTask<CanMessage>> receive, IAsyncEnumerator<CanMessage>? frames)
    {
        var before = 0L;
        var workItemsBefore = 0L;
        for (var i = 0; i < WarmupFrames + Frames; i++)
        {
            if (i == WarmupFrames)
            {
                workItemsBefore = ThreadPool.CompletedWorkItemCount;
                before = GC.GetTotalAllocatedBytes(precise: true);
            }

            // A hang guard per frame rather than one budget for the whole run: on one loaded CPU the 13,000 round trips
            // of one attempt took longer than two minutes, though every frame came. Re-arming the timer allocates nothing.
            _cancel.CancelAfter(FrameTimeout);
            var pending = receive(_receiver, frames, _cancel.Token);
            _sendOne.Release();
            var message = await pending.ConfigureAwait(false);
            Check(message.ArbitrationId == 0x123, "unexpected frame");
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return new WaitingWindow(allocated, ThreadPool.CompletedWorkItemCount - workItemsBefore);
    }

    /// <summary>Waits (allocation-free) until the receiver's socket holds <paramref name="count"/> datagrams (the bus holds none: every window is read in full).</summary>
    private void WaitQueued(int count) =>
        Check(QueuedDatagrams.WaitFor(_receiveSocket, count, Timeout), "frames sent on the loopback did not arrive");

    /// <summary>An assertion that allocates nothing unless it fails (FluentAssertions allocates on every call).</summary>
    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }

    private void SendOnRequest()
    {
        try
        {
            while (true)
            {
                _sendOne.Wait(_cancel.Token);
                _sender.Send(_frame);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
