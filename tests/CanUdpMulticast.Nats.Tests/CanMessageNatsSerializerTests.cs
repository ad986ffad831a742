using System.Buffers;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Wire;
using FluentAssertions;
using Xunit;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>The payload the bus publishes: python-can's map, byte for byte, whichever encoder path writes it.</summary>
public sealed class CanMessageNatsSerializerTests
{
    public static TheoryData<int> Kinds()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Frames.EveryKind().Length + 2; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Serialize_IntoArrayOrOtherMemory_SameBytesAsTheGeneralEncoder(int kind)
    {
        var frame = Frame(kind);
        var expected = new ArrayBufferWriter<byte>();
        PythonCanWireFormat.Encode(frame, expected); // the general path, as the bus wrote it before

        // An array-backed writer that already holds a message (NATS.Net's pooled buffers are arrays): written in place.
        var array = new ArrayBufferWriter<byte>();
        array.Write("xyz"u8);
        CanMessageNatsSerializer.Instance.Serialize(array, frame);

        // A writer whose memory is not an array: through the thread's scratch buffer.
        var other = new NonArrayWriter();
        CanMessageNatsSerializer.Instance.Serialize(other, frame);

        array.WrittenSpan[3..].ToArray().Should().Equal(expected.WrittenSpan.ToArray());
        other.Written.ToArray().Should().Equal(expected.WrittenSpan.ToArray());
    }

    private static CanMessage Frame(int kind)
    {
        var every = Frames.EveryKind();
        return kind < every.Length ? every[kind] with { Timestamp = 1_796_000_000.123456 }
            : kind == every.Length ? new CanMessage { ArbitrationId = 0x1FFFFFFF, IsExtendedId = true, Channel = long.MinValue, IsFd = true, Data = new byte[64] }
            : new CanMessage { ArbitrationId = 0x1, Channel = new string('c', 300), Data = new byte[] { 1 } };
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> whose memory does not expose an array.</summary>
    private sealed class NonArrayWriter : MemoryManager<byte>, IBufferWriter<byte>
    {
        private readonly byte[] _bytes = new byte[8192];
        private int _written;

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Memory[_written..];

        public Span<byte> GetSpan(int sizeHint = 0) => _bytes.AsSpan(_written);

        public override Span<byte> GetSpan() => _bytes;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
