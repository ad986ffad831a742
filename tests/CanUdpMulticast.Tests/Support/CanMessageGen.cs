using CsCheck;

namespace CanUdpMulticast.Tests;

/// <summary>CsCheck generators of CAN frames.</summary>
public static class CanMessageGen
{
    private static readonly Gen<CanChannel> Channel = Gen.OneOf(
        Gen.Const(CanChannel.None),
        Gen.Int[0, 255].Select(n => (CanChannel)n),
        Gen.String[Gen.Char.AlphaNumeric, 1, 20].Select(s => (CanChannel)s));

    /// <summary>Random frames that pass python-can's check=True rules.</summary>
    public static readonly Gen<CanMessage> Valid =
        from extended in Gen.Bool
        from id in extended ? Gen.UInt[0, 0x1FFF_FFFF] : Gen.UInt[0, 0x7FF]
        from kind in Gen.Int[0, 3] // 0 data, 1 remote, 2 error, 3 FD
        from length in kind == 3 ? Gen.Int[0, 64] : Gen.Int[0, 8]
        from data in Gen.Byte.Array[length]
        from brs in Gen.Bool
        from esi in Gen.Bool
        from channel in Channel
        from timestamp in Gen.Double[0, 2e9]
        select kind switch
        {
            1 => new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = length, Channel = channel, Timestamp = timestamp },
            2 => new CanMessage(id, data, extended) { IsErrorFrame = true, Channel = channel, Timestamp = timestamp },
            3 => new CanMessage(id, data, extended) { IsFd = true, BitrateSwitch = brs, ErrorStateIndicator = esi, Channel = channel, Timestamp = timestamp },
            _ => new CanMessage(id, data, extended) { Channel = channel, Timestamp = timestamp },
        };

    /// <summary>
    /// Lists of <paramref name="min"/> to <paramref name="max"/> frames with non-decreasing times from 1e9 s on (log
    /// writers clamp times that go backwards), at any sub-microsecond position.
    /// </summary>
    public static Gen<List<CanMessage>> InTimeOrder(this Gen<CanMessage> frame, int min, int max) =>
        Gen.Select(frame.List[min, max], Gen.Double[1e9, 2e9], Gen.Double[0, 3].Array[max], (frames, start, steps) =>
        {
            var time = start;
            for (var i = 0; i < frames.Count; i++)
            {
                time += steps[i];
                frames[i] = frames[i] with { Timestamp = time };
            }

            return frames;
        });
}
