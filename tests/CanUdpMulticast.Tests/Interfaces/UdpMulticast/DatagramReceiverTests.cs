using System.Net;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Tests.Interfaces.UdpMulticast;

/// <summary>
/// The receiver's per-read decisions over a scripted transport: when it asks the socket for its drop count, and how
/// many datagrams a waiting read asks for.
/// </summary>
public sealed class DatagramReceiverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    [Fact]
    public void KernelDrops_WhileReceiving_PolledAtMostOncePerTenthOfASecondOfReceiveTime()
    {
        var transport = new ScriptedTransport();
        var counted = new List<long>();
        var receiver = Create(transport, counted);

        // Receive times (seconds): the first read polls; 50 ms later does not; 110 ms after the first does; a clock
        // stepped back by a second polls at once; a datagram without a time does not poll.
        transport.DropCounter = 5;
        Read(receiver, transport, 1000.00);
        transport.DropCounter = 7;
        Read(receiver, transport, 1000.05);
        transport.Polls.Should().Be(1);
        counted.Should().Equal(5);

        Read(receiver, transport, 1000.11);
        transport.Polls.Should().Be(2);
        counted.Should().Equal(5, 2);

        transport.DropCounter = 10;
        Read(receiver, transport, 999.0);
        transport.Polls.Should().Be(3);
        counted.Should().Equal(5, 2, 3);

        transport.DropCounter = 11;
        Read(receiver, transport, double.NaN);
        transport.Polls.Should().Be(3);

        receiver.RefreshKernelDrops().Should().Be(11, "reading statistics asks the socket whatever the receive times");
        counted.Should().Equal(5, 2, 3, 1);
    }

    [Fact]
    public void KernelDrops_CounterWrapsAt32Bits_CountsTheDifference()
    {
        var transport = new ScriptedTransport { DropCounter = int.MaxValue };
        var counted = new List<long>();
        var receiver = Create(transport, counted);
        receiver.RefreshKernelDrops().Should().Be(int.MaxValue);

        transport.DropCounter = uint.MaxValue - 1;
        receiver.RefreshKernelDrops().Should().Be(uint.MaxValue - 1);

        transport.DropCounter = 2;
        receiver.RefreshKernelDrops().Should().Be((long)uint.MaxValue + 3, "the kernel's 32-bit counter wrapped");
        counted.Should().Equal(int.MaxValue, int.MaxValue, 4);
    }

    [Fact]
    public void Receive_LoneDatagrams_AskForOneAndProbeForABatchEverySixteenthRead()
    {
        var transport = new ScriptedTransport();
        var receiver = Create(transport, []);
        for (var i = 0; i < 34; i++)
        {
            Read(receiver, transport, 1.0);
        }

        var expected = new List<int> { 64 };
        for (var probe = 0; probe < 2; probe++)
        {
            expected.AddRange(Enumerable.Repeat(1, 15));
            expected.Add(64);
        }

        expected.Add(1);
        transport.Requested.Should().Equal(expected);
    }

    [Fact]
    public void Receive_ProbeFindsSeveralQueued_GoesBackToBatching()
    {
        var transport = new ScriptedTransport();
        var receiver = Create(transport, []);
        for (var i = 0; i < 16; i++)
        {
            Read(receiver, transport, 1.0);
        }

        transport.Requested[^1].Should().Be(1);
        Read(receiver, transport, 1.0, datagrams: 3); // the probe: a burst has built up
        transport.Requested[^1].Should().Be(64);
        Read(receiver, transport, 1.0, datagrams: 2);
        transport.Requested[^1].Should().Be(64, "the probe found more than one datagram: batching again");
        Read(receiver, transport, 1.0, datagrams: 5);
        transport.Requested[^1].Should().Be(64);
    }

    [Fact]
    public void Receive_ForABatch_AlwaysAsksForABatchAndLeavesSingleModeAlone()
    {
        var transport = new ScriptedTransport();
        var receiver = Create(transport, []);
        Read(receiver, transport, 1.0);
        Read(receiver, transport, 1.0);
        transport.Requested[^1].Should().Be(1, "lone datagrams: a single-frame receive asks for one");

        Read(receiver, transport, 1.0, forBatch: true);
        Read(receiver, transport, 1.0, forBatch: true);
        transport.Requested.Skip(2).Should().Equal(64, 64);

        Read(receiver, transport, 1.0);
        transport.Requested[^1].Should().Be(1, "the batch reads did not change the single-frame callers' mode");
    }

    private static DatagramReceiver Create(ScriptedTransport transport, List<long> counted)
    {
        var options = new UdpMulticastBusOptions();
        var counters = new UdpMulticastCounters();
        var decoder = new DatagramDecoder(options, new OwnEchoDetector(AddressFamily.InterNetwork, 1), transport, null, counters, _ => { }, NullLogger.Instance);
        var endpoint = new MulticastEndpoint(IPAddress.Parse("239.0.0.1"), 43113, 0, 0, string.Empty);
        return new DatagramReceiver(transport, decoder, counters, counted.Add, endpoint, NullLogger.Instance);
    }

    // The scripted datagrams are empty (malformed), so Receive returns no frame: only the transport calls matter here.
    private static void Read(DatagramReceiver receiver, ScriptedTransport transport, double timestamp, int datagrams = 1, bool forBatch = false)
    {
        transport.Next = (datagrams, timestamp);
        receiver.Receive(out _, Wait, forBatch).Should().BeFalse();
    }

    private sealed class ScriptedTransport : IMulticastTransport
    {
        public (int Count, double Timestamp) Next { get; set; }

        public uint DropCounter { get; set; }

        public int Polls { get; private set; }

        public List<int> Requested { get; } = [];

        public int SendPort => 1;

        public bool KernelTimestamps => true;

        public long OwnEchoesFiltered => 0;

        public void OwnEchoSkipped(in SourceAddress source)
        {
        }

        public int BatchCapacity => 64;

        public bool IsClosed => false;

        public bool TryReadKernelDropCounter(out uint dropCounter)
        {
            Polls++;
            dropCounter = DropCounter;
            return true;
        }

        public int ReceiveQueued(DatagramBatch batch, int maxCount) => 0;

        public int ReceiveWaiting(DatagramBatch batch, int maxCount, TimeSpan timeout)
        {
            Requested.Add(maxCount);
            var count = Math.Min(Next.Count, maxCount);
            for (var i = 0; i < count; i++)
            {
                batch[i] = new DatagramEntry { Length = 0, Timestamp = Next.Timestamp };
            }

            return count;
        }

        public ValueTask<bool> WaitReadableAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Send(ReadOnlySpan<byte> datagram, TimeSpan timeout) => throw new NotSupportedException();

        public int SendBatch(OutgoingBatch batch, TimeSpan timeout) => throw new NotSupportedException();

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Close()
        {
        }

        public void Dispose()
        {
        }
    }
}
