using System.Buffers;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>An <see cref="IBufferWriter{T}"/> over a slice of a caller's array, reset per datagram.</summary>
internal sealed class SliceBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];
    private int _start;

    public int Capacity { get; private set; }

    public int Written { get; private set; }

    public void Reset(byte[] buffer, int offset, int capacity)
    {
        _buffer = buffer;
        _start = offset;
        Capacity = Math.Max(0, capacity);
        Written = 0;
    }

    public void Advance(int count) => Written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_start + Written, Available(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_start + Written, Available(sizeHint));

    private int Available(int sizeHint)
    {
        var available = Capacity - Written;
        if (available < Math.Max(sizeHint, 1))
        {
            throw new FullException();
        }

        return available;
    }

    /// <summary>Thrown when the slice is full; the encoder turns it into an <see cref="ArgumentException"/>.</summary>
    internal sealed class FullException : Exception
    {
    }
}
