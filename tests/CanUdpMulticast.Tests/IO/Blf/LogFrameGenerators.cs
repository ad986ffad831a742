using CsCheck;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>CsCheck generators of valid frames for the log format property tests.</summary>
internal static class LogFrameGenerators
{
    private static readonly int[] FdLengths = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

    /// <summary>A random valid frame (python-can's check=True rules), without timestamp.</summary>
    internal static readonly Gen<CanMessage> Frame =
        Gen.Select(Gen.Int[0, 3], Gen.Bool, Gen.UInt, Gen.Byte.Array[64], Gen.Int[0, 15], Gen.Bool, Gen.Bool, Gen.Bool)
            .Select(Gen.Int[-1, 6], Gen.Bool, (t, channelNumber, named) =>
            {
                var (kind, extended, rawId, bytes, lengthIndex, brs, esi, rx) = t;
                var id = extended ? rawId & 0x1FFF_FFFF : rawId & 0x7FF;
                CanChannel channel = channelNumber < 0 ? CanChannel.None : named ? $"can{channelNumber}" : channelNumber;
                var classicLength = Math.Min(lengthIndex, 8);
                return kind switch
                {
                    0 => new CanMessage(id, bytes.AsSpan(0, classicLength), extended) { IsRx = rx, Channel = channel },
                    1 => new CanMessage(id, [], extended) { IsRemoteFrame = true, Dlc = classicLength, IsRx = rx, Channel = channel },
                    2 => new CanMessage(id, bytes.AsSpan(0, classicLength), extended) { IsErrorFrame = true, IsRx = rx, Channel = channel },
                    _ => new CanMessage(id, bytes.AsSpan(0, FdLengths[lengthIndex]), extended)
                    {
                        IsFd = true, BitrateSwitch = brs, ErrorStateIndicator = esi, IsRx = rx, Channel = channel,
                    },
                };
            });

    /// <summary>A random list of frames with non-decreasing timestamps from a Unix time or from near zero.</summary>
    internal static readonly Gen<List<CanMessage>> Frames =
        Gen.Select(Frame.List[0, 60], Gen.Bool, Gen.Double[1.5e9, 1.9e9], Gen.Double[0, 2].Array[60], (frames, absolute, start, gaps) =>
        {
            var t = absolute ? start : gaps[0] * 100;
            return frames.Select((m, i) => m with { Timestamp = t += gaps[i] }).ToList();
        });

    internal static Gen<int> Pick(params int[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
}
