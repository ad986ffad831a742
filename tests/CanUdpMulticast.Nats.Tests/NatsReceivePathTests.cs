using System.Buffers;
using System.Diagnostics;
using System.Text;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Wire;
using FluentAssertions;
using Xunit;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>The bus's receive path: from a message's raw header block and payload to <c>ReceiveBatch</c>.</summary>
public sealed class NatsReceivePathTests : IDisposable
{
    private readonly NatsServerProcess _server = NatsServerProcess.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void OnFrame_FromRawMessageToReceiveBatch_AllocatesNothingPerFrame()
    {
        using var bus = new NatsBus(Frames.Options(_server.Url, "recv"));
        var payload = new byte[256];
        var length = PythonCanWireFormat.Encode(new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } }, payload);
        var body = new ReadOnlySequence<byte>(payload, 0, length);
        var blocks = Enumerable.Range(1, 3000)
            .Select(i => (ReadOnlySequence<byte>?)new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes($"NATS/1.0\r\nCan-Src: {NatsFrameHeaders.Format(0xAB, i, 5)}\r\n\r\n")))
            .ToArray();
        var batch = new CanMessage[64];
        void Deliver(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                bus.OnFrame("can.recv.s.1.2.3", blocks[i], body);
            }

            for (var taken = 0; taken < count;)
            {
                taken += bus.ReceiveBatch(batch, TimeSpan.FromSeconds(1));
            }
        }

        Deliver(0, 1000); // the first frames grow the queue and start tracking the source
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var from = 1000; from < 3000; from += 500)
        {
            Deliver(from, 500); // fewer at a time than in the first round: the queue need not grow again
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        bus.NatsStatistics.Delivered.Should().Be(3000);
        bus.NatsStatistics.SequenceGaps.Should().Be(0);
        batch[0].ArbitrationId.Should().Be(0x123u);
    }

    [Fact]
    public void ReceiveBatch_FrameQueuedWhileTheReaderSpinsOrBlocks_TakenEveryTime()
    {
        // Ping-pong one frame at a time: the reader is spinning (or already blocked) whenever the next frame is
        // queued, so every round goes through the wait; none may be missed until the timeout.
        using var bus = new NatsBus(Frames.Options(_server.Url, "spin"));
        var payload = new byte[256];
        var length = PythonCanWireFormat.Encode(new CanMessage { ArbitrationId = 0x42, Data = new byte[] { 1 } }, payload);
        var body = new ReadOnlySequence<byte>(payload, 0, length);
        const int rounds = 2000;
        using var taken = new SemaphoreSlim(0);
        var writer = new Thread(() =>
        {
            for (var i = 1; i <= rounds; i++)
            {
                if (i % 2 == 0)
                {
                    Thread.Sleep(0); // vary the moment: sometimes the reader has started spinning, sometimes not
                }

                var block = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes($"NATS/1.0\r\nCan-Src: {NatsFrameHeaders.Format(0xCD, i, 5)}\r\n\r\n"));
                bus.OnFrame("can.spin.s.0.4.2", block, body);
                if (!taken.Wait(TimeSpan.FromSeconds(10)))
                {
                    return;
                }
            }
        });
        writer.Start();
        var batch = new CanMessage[8];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            bus.ReceiveBatch(batch, TimeSpan.FromSeconds(5)).Should().Be(1, "frame {0} was queued", i + 1);
            taken.Release();
        }

        writer.Join();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        bus.NatsStatistics.SequenceGaps.Should().Be(0);
    }

    [Fact]
    public void ReceiveBatch_NothingArrives_ReturnsZeroAfterTheTimeout()
    {
        using var bus = new NatsBus(Frames.Options(_server.Url, "idle"));
        var watch = Stopwatch.StartNew();

        bus.ReceiveBatch(new CanMessage[8], TimeSpan.FromMilliseconds(200)).Should().Be(0);

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190));
    }

    [Fact]
    public async Task ReceiveBatch_FramesSentWhileWaiting_TakesThemInOrder()
    {
        using var receiver = new NatsBus(Frames.Options(_server.Url, "wake"));
        using var sender = new NatsBus(Frames.Options(_server.Url, "wake"));
        var batch = new CanMessage[16];
        var received = new List<uint>();
        var reader = Task.Run(() =>
        {
            while (received.Count < 100)
            {
                var n = receiver.ReceiveBatch(batch, TimeSpan.FromSeconds(5));
                if (n == 0)
                {
                    return;
                }

                received.AddRange(batch.Take(n).Select(m => m.ArbitrationId));
            }
        });

        for (var i = 0; i < 100; i++)
        {
            sender.Send(new CanMessage { ArbitrationId = (uint)i });
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(20));
        received.Should().Equal(Enumerable.Range(0, 100).Select(i => (uint)i));
    }
}
