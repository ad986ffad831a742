using System.Text;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The constants of python-can's <c>udp_multicast</c> datagram shared by <see cref="WireEncoder"/> and the decoders:
/// the size limit, python-can's key names in python-can's order and their pre-encoded forms.
/// </summary>
internal static class WireFormat
{
    /// <summary>The largest datagram python-can reads (its receive buffer), in bytes.</summary>
    public const int MaxDatagramSize = 4096;

    // Keys: [0] timestamp ... [10] error_state_indicator, [11] is_rx (accepted on receive only).
    public const int KeyCount = 12;
    public const int IsRxKey = 11;
    public const int WireKeyCount = 11;

    public static readonly byte[][] Keys =
    [
        "timestamp"u8.ToArray(), "arbitration_id"u8.ToArray(), "is_extended_id"u8.ToArray(), "is_remote_frame"u8.ToArray(),
        "is_error_frame"u8.ToArray(), "channel"u8.ToArray(), "dlc"u8.ToArray(), "data"u8.ToArray(), "is_fd"u8.ToArray(),
        "bitrate_switch"u8.ToArray(), "error_state_indicator"u8.ToArray(), "is_rx"u8.ToArray(),
    ];

    // The encoded keys (fixstr header + UTF-8), written raw so encoding does no string work.
    public static readonly byte[][] EncodedKeys = [.. Keys.Select(k => (byte[])[(byte)(0xA0 | k.Length), .. k])];

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // python-can always sends the keys in the same order, so the i-th key is tried first.
    public static int FindKey(ReadOnlySpan<byte> key, int expected)
    {
        if (expected < KeyCount && key.SequenceEqual(Keys[expected]))
        {
            return expected;
        }

        for (var i = 0; i < KeyCount; i++)
        {
            if (key.SequenceEqual(Keys[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
