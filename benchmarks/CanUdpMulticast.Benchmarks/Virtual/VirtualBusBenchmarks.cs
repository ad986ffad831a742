using BenchmarkDotNet.Attributes;
using CanUdpMulticast.Interfaces.Virtual;

namespace CanUdpMulticast.Benchmarks.Virtual;

/// <summary>
/// One frame through the in-process bus: validation, fan-out to the peer's queue, and the receive API (sync, batch,
/// async). Measures the cost the library adds on top of any transport; the expected allocation is 0 bytes.
/// </summary>
[MemoryDiagnoser]
public class VirtualBusBenchmarks : IDisposable
{
    private const int Batch = 64;
    private readonly CanMessage _message = new(0x123, [1, 2, 3, 4, 5, 6, 7, 8]);
    private readonly CanMessage[] _batch = new CanMessage[Batch];
    private readonly CanMessage[] _received = new CanMessage[Batch];
    private VirtualBus _sender = null!;
    private VirtualBus _receiver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var channel = $"bench-{Guid.NewGuid():N}";
        _sender = new VirtualBus(channel);
        _receiver = new VirtualBus(channel);
        Array.Fill(_batch, _message);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Send then TryReceive on the peer: the synchronous round trip.</summary>
    [Benchmark(Baseline = true)]
    public uint SendTryReceive()
    {
        _sender.Send(_message);
        _receiver.TryReceive(out var message);
        return message.ArbitrationId;
    }

    /// <summary>Send then ReceiveAsync (completes synchronously: the frame is already queued).</summary>
    [Benchmark]
    public async ValueTask<uint> SendReceiveAsync()
    {
        _sender.Send(_message);
        var message = await _receiver.ReceiveAsync().ConfigureAwait(false);
        return message.ArbitrationId;
    }

    /// <summary>SendBatch of 64 then ReceiveBatch of 64, per frame.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int SendBatchReceiveBatch()
    {
        _sender.SendBatch(_batch);
        return _receiver.ReceiveBatch(_received, TimeSpan.Zero);
    }
}
