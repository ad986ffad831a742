using System.Buffers;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// python-can's <c>udp_multicast</c> datagram: exactly one MessagePack map with python-can's 11 string keys in
/// python-can's order (<c>timestamp, arbitration_id, is_extended_id, is_remote_frame, is_error_frame, channel, dlc,
/// data, is_fd, bitrate_switch, error_state_indicator</c>), written and read with MessagePack's low-level
/// writer/reader: no reflection and no allocation per frame. The entry point of the bus; the work is done by
/// <see cref="WireEncoder"/>, <see cref="WireDecoder"/> and <see cref="LenientWireDecoder"/> (keys in <see cref="WireFormat"/>).
/// </summary>
/// <remarks>
/// Decoding accepts what a python-can 4.1.0 receiver (<c>unpack_message(..., check=True)</c>) accepts: keys in any
/// order, missing (python-can's defaults apply, including <c>is_extended_id = true</c>) or repeated (the last value
/// wins); flags of any type, judged by python's truth rules; <c>data</c> as bin, nil, an array of integers 0..255,
/// an integer n (n zero bytes, as python's <c>bytearray(n)</c>) or an empty map, and ignored for remote frames;
/// <c>is_rx</c> and the timestamp of any type (a received frame is Rx; python-can replaces the timestamp with the
/// receive time, and so does the bus: a number is kept here, anything else gives 0). The few deliberate differences
/// (float ids and DLCs, channels that are neither nil, integer nor string) are listed in the README. Anything else
/// is a <see cref="MalformedDatagramReason"/>; it never throws.
/// </remarks>
internal static class WireCodec
{
    /// <summary>The largest datagram python-can reads (its receive buffer), in bytes.</summary>
    public const int MaxDatagramSize = WireFormat.MaxDatagramSize;

    /// <summary>Encodes a frame as python-can does, into <paramref name="destination"/> at <paramref name="offset"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="destination">The buffer.</param>
    /// <param name="offset">Where to start writing.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The datagram would not fit, or would exceed <see cref="MaxDatagramSize"/> (a very long channel name).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encode(in CanMessage message, byte[] destination, int offset = 0) => WireEncoder.Encode(message, destination, offset);

    /// <summary>The general path through MessagePackWriter (internal so tests can hold both paths to one result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int EncodeWithWriter(in CanMessage message, byte[] destination, int offset = 0) => WireEncoder.EncodeWithWriter(message, destination, offset);

    /// <summary>Encodes a frame as python-can does.</summary>
    /// <param name="message">The frame.</param>
    /// <param name="output">Where to write.</param>
    public static void Encode(in CanMessage message, IBufferWriter<byte> output) => WireEncoder.Encode(message, output);

    /// <summary>Decodes a datagram the way a python-can receiver does, and validates the frame like python-can.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="message">The frame (with <see cref="CanMessage.IsRx"/> set) when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the datagram is not a frame.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MalformedDatagramReason Decode(ReadOnlyMemory<byte> datagram, out CanMessage message) => WireDecoder.Decode(datagram, out message);

    /// <summary>The general, lenient path through MessagePackReader (internal so tests can hold both paths to one result).</summary>
    /// <param name="datagram">The UDP payload (at most <see cref="MaxDatagramSize"/> bytes, not empty).</param>
    /// <param name="message">The frame when the result is <see cref="MalformedDatagramReason.None"/>.</param>
    /// <returns><see cref="MalformedDatagramReason.None"/>, or why the datagram is not a frame.</returns>
    internal static MalformedDatagramReason DecodeWithReader(ReadOnlyMemory<byte> datagram, out CanMessage message) => LenientWireDecoder.Decode(datagram, out message);
}
