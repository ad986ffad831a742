using System.Buffers;
using MessagePack;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// The python-can 4.1.0 datagram of the benchmark frame (id 0x123, standard, 8 data bytes, timestamp 0.0, channel
/// None), built once with MessagePack's writer for the raw baselines, which send it without any CAN encoding per
/// frame. The orchestrator checks at start-up that python-can's <c>pack_message</c> produces the same bytes.
/// </summary>
internal static class Datagram
{
    public const uint ArbitrationId = 0x123;

    /// <summary>The frame's data bytes after the kind byte.</summary>
    public static ReadOnlySpan<byte> DataTail => [2, 3, 4, 5, 6, 7, 8];

    /// <summary>The datagram for a frame of the given kind.</summary>
    public static byte[] Create(byte kind)
    {
        var output = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(11);
        writer.Write("timestamp");
        writer.Write(0.0);
        writer.Write("arbitration_id");
        writer.Write(ArbitrationId);
        writer.Write("is_extended_id");
        writer.Write(false);
        writer.Write("is_remote_frame");
        writer.Write(false);
        writer.Write("is_error_frame");
        writer.Write(false);
        writer.Write("channel");
        writer.WriteNil();
        writer.Write("dlc");
        writer.Write(8u);
        writer.Write("data");
        var data = new byte[8];
        data[0] = kind;
        DataTail.CopyTo(data.AsSpan(1));
        writer.Write(data);
        writer.Write("is_fd");
        writer.Write(false);
        writer.Write("bitrate_switch");
        writer.Write(false);
        writer.Write("error_state_indicator");
        writer.Write(false);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Where the kind byte (the first data byte) sits in every benchmark datagram.</summary>
    public static int KindOffset { get; } = FindKindOffset();

    /// <summary>The kind of a received benchmark datagram, or 0 when it is not one.</summary>
    public static byte KindOf(ReadOnlySpan<byte> datagram) => datagram.Length == Length ? datagram[KindOffset] : (byte)0;

    /// <summary>The datagram length (162 bytes).</summary>
    public static int Length { get; } = Create(0).Length;

    /// <summary>The frame as a <see cref="CanMessage"/>, for the library's senders.</summary>
    public static CanMessage Message(byte kind)
    {
        Span<byte> data = stackalloc byte[8];
        data[0] = kind;
        DataTail.CopyTo(data[1..]);
        return new CanMessage(ArbitrationId, data);
    }

    private static int FindKindOffset()
    {
        // "data" key (fixstr 4) followed by bin8 of length 8.
        ReadOnlySpan<byte> marker = [0xA4, (byte)'d', (byte)'a', (byte)'t', (byte)'a', 0xC4, 0x08];
        var bytes = Create(0);
        var index = bytes.AsSpan().IndexOf(marker);
        if (index < 0)
        {
            throw new InvalidOperationException("Benchmark datagram has no data field.");
        }

        return index + marker.Length;
    }
}
