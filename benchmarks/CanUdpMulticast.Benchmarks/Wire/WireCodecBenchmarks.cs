using BenchmarkDotNet.Attributes;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Benchmarks.Wire;

/// <summary>Encode and decode+validate of one classic 8-byte frame in python-can's datagram format.</summary>
[MemoryDiagnoser]
public class WireCodecBenchmarks
{
    private readonly byte[] _buffer = new byte[WireCodec.MaxDatagramSize];
    private readonly CanMessage _message = new(0x123, [1, 2, 3, 4, 5, 6, 7, 8]) { Timestamp = 1_700_000_000.123456 };
    private ReadOnlyMemory<byte> _datagram;

    [GlobalSetup]
    public void Setup() => _datagram = _buffer.AsMemory(0, WireCodec.Encode(_message, _buffer));

    [Benchmark]
    public int Encode() => WireCodec.Encode(_message, _buffer);

    /// <summary>The general MessagePackWriter path, which the byte-by-byte encoder replaced for channel-less frames.</summary>
    [Benchmark]
    public int EncodeWithWriter() => WireCodec.EncodeWithWriter(_message, _buffer);

    [Benchmark]
    public MalformedDatagramReason DecodeAndValidate() => WireCodec.Decode(_datagram, out _);
}
