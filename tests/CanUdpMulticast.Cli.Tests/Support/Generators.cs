using CsCheck;

namespace CanUdpMulticast.Cli.Tests.Support;

/// <summary>CsCheck generators for valid frames of every kind.</summary>
internal static class Generators
{
    private static readonly int[] FdLengths = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

    public static readonly Gen<CanMessage> Frame =
        Gen.Select(
            Gen.Int[0, 5],
            Gen.UInt,
            Gen.Int[0, 15],
            Gen.Byte.Array[64],
            Gen.Int[0, 3],
            Gen.Long[0, 2_000_000_000_000_000L],
            (kind, rawId, len, bytes, flags, micros) =>
            {
                var timestamp = micros / 1e6;
                return kind switch
                {
                    // classic standard / extended
                    0 => new CanMessage(rawId & 0x7FF, bytes.AsSpan(0, len % 9)) { Timestamp = timestamp },
                    1 => new CanMessage(rawId & 0x1FFF_FFFF, bytes.AsSpan(0, len % 9), isExtendedId: true) { Timestamp = timestamp },

                    // remote
                    2 => new CanMessage { ArbitrationId = rawId & 0x7FF, IsRemoteFrame = true, Dlc = len % 9, Timestamp = timestamp },

                    // FD with flags
                    3 => new CanMessage(rawId & 0x7FF, bytes.AsSpan(0, FdLengths[len])) { IsFd = true, BitrateSwitch = (flags & 1) != 0, ErrorStateIndicator = (flags & 2) != 0, Timestamp = timestamp },
                    4 => new CanMessage(rawId & 0x1FFF_FFFF, bytes.AsSpan(0, FdLengths[len]), isExtendedId: true) { IsFd = true, Timestamp = timestamp },

                    // error frame (socketcan style: error class bits as id, 8 data bytes; candump text always writes
                    // its id with 8 digits, and python-can's writer turns class 0 into 0x80, so class >= 1 here)
                    _ => new CanMessage((rawId & 0x1FF) | 1, bytes.AsSpan(0, 8), isExtendedId: true) { IsErrorFrame = true, Timestamp = timestamp },
                };
            });
}
