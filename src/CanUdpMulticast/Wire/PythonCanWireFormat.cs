using System.Buffers;
using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Wire;

/// <summary>
/// python-can's frame encoding (the MessagePack map its <c>udp_multicast</c> interface sends), for backends and
/// gateways that carry frames over another transport (e.g. NATS) and must stay byte-for-byte compatible with it.
/// </summary>
/// <remarks>The same codec the UDP multicast bus uses: encoding writes python-can's 11 keys in its order; decoding is
/// as lenient as python-can and validates the frame with python-can's rules; it never throws on bad input.</remarks>
public static class PythonCanWireFormat
{
    /// <summary>The largest encoded frame a python-can receiver reads, in bytes (its receive buffer).</summary>
    public const int MaxEncodedLength = WireCodec.MaxDatagramSize;

    /// <summary>Encodes a frame as python-can does, into <paramref name="destination"/> at <paramref name="offset"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="destination">The buffer; 256 bytes hold any frame without a long channel name.</param>
    /// <param name="offset">Where to start writing.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">The encoding would not fit, or would exceed <see cref="MaxEncodedLength"/>.</exception>
    public static int Encode(in CanMessage message, byte[] destination, int offset = 0) =>
        WireCodec.Encode(message, destination, offset);

    /// <summary>Encodes a frame as python-can does.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public static void Encode(in CanMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WireCodec.Encode(message, output);
    }

    /// <summary>Decodes an encoded frame the way a python-can receiver does, and validates it like python-can.</summary>
    /// <param name="encoded">The encoded frame.</param>
    /// <param name="message">The frame (with <see cref="CanMessage.IsRx"/> set) when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the bytes are not a frame.</returns>
    public static MalformedDatagramReason Decode(ReadOnlyMemory<byte> encoded, out CanMessage message) =>
        WireCodec.Decode(encoded, out message);
}
