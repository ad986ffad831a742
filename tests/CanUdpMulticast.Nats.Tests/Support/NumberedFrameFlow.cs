using System.Buffers.Binary;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>
/// Streams numbered frames (the number = the sender's sequence number, in the data) from one bus to another while
/// a fault is injected, and finds out which frames really got lost, to compare with what the receiver reported.
/// </summary>
public sealed class NumberedFrameFlow : IDisposable
{
    private readonly NatsBus _sender;
    private readonly NatsBus _receiver;
    private readonly Thread _receiving;
    private readonly List<long> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private long _sent;

    public NumberedFrameFlow(NatsBus sender, NatsBus receiver)
    {
        _sender = sender;
        _receiver = receiver;
        _receiving = new Thread(Receive) { IsBackground = true };
        _receiving.Start();
    }

    public long Sent => Interlocked.Read(ref _sent);

    public int ReceivedCount
    {
        get
        {
            lock (_received)
            {
                return _received.Count;
            }
        }
    }

    /// <summary>Sends one numbered frame.</summary>
    public void SendOne()
    {
        var number = Interlocked.Increment(ref _sent);
        Span<byte> data = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(data, number);
        _sender.Send(new CanMessage { ArbitrationId = 0x100, Data = data });
    }

    /// <summary>Sends until the receiver got one (the path is ready).</summary>
    public void SendUntilReceived(TimeSpan timeout)
    {
        var before = ReceivedCount;
        Frames.WaitUntil(
            () =>
            {
                SendOne();
                Thread.Sleep(5);
                return ReceivedCount > before;
            },
            timeout,
            "a frame got through");
    }

    /// <summary>Sends <paramref name="count"/> frames, one every millisecond or so.</summary>
    public void SendMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            SendOne();
            if (i % 10 == 0)
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>The frames lost for real: every number from the first received to the last sent that never arrived.</summary>
    public (long First, long Lost, int Duplicates) Tally()
    {
        lock (_received)
        {
            var first = _received.Min();
            var distinct = _received.Distinct().Count();
            return (first, Sent - first + 1 - distinct, _received.Count - distinct);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _receiving.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private void Receive()
    {
        while (!_stop.IsCancellationRequested)
        {
            CanMessage? message;
            try
            {
                message = _receiver.Receive(TimeSpan.FromMilliseconds(50));
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (message is { } frame)
            {
                lock (_received)
                {
                    _received.Add(BinaryPrimitives.ReadInt64LittleEndian(frame.Data));
                }
            }
        }
    }
}
