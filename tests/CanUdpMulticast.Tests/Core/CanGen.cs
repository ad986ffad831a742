using CsCheck;

namespace CanUdpMulticast.Tests.Core;

/// <summary>CsCheck generators for the core types, shared by the property tests.</summary>
internal static class CanGen
{
    public static readonly Gen<uint> StandardId = Gen.UInt[0, 0x7FF];

    public static readonly Gen<uint> ExtendedId = Gen.UInt[0, 0x1FFF_FFFF];

    public static readonly Gen<CanChannel> Channel = Gen.OneOf(
        Gen.Const(CanChannel.None),
        Gen.Long[-3, 100].Select(n => new CanChannel(n)),
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => new CanChannel(s)));

    /// <summary>Timestamps a valid frame can have: 0 .. year 2100, any fraction.</summary>
    public static readonly Gen<double> ValidTimestamp = Gen.OneOf(Gen.Const(0.0), Gen.Double[0, 4.2e9]);

    /// <summary>Any double, the special values made likely.</summary>
    public static readonly Gen<double> AnyTimestamp = Gen.OneOf(
        Gen.Double,
        Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue, double.Epsilon, -1.5));

    /// <summary>Valid frames of every kind: classic data, classic remote, error, CAN FD.</summary>
    public static readonly Gen<CanMessage> ValidMessage =
        Gen.Select(Gen.Int[0, 3], Gen.Bool, ValidTimestamp, Gen.Bool, Channel, Gen.Byte.Array[0, 64], Gen.Int[0, 8])
            .SelectMany(t => (t.Item2 ? ExtendedId : StandardId).Select(Gen.Bool, Gen.Bool, (id, brs, esi) => Build(t, id, brs, esi)));

    /// <summary>Frames with any field values, valid or not (for code that must not throw on any input).</summary>
    public static readonly Gen<CanMessage> AnyMessage =
        Gen.Select(Gen.UInt, Gen.Int[0, 127], AnyTimestamp, Channel, Gen.Byte.Array[0, 64], Gen.Int[-1, 64])
            .Select(t =>
            {
                var message = new CanMessage
                {
                    ArbitrationId = t.Item1,
                    IsExtendedId = (t.Item2 & 1) != 0,
                    IsRemoteFrame = (t.Item2 & 2) != 0,
                    IsErrorFrame = (t.Item2 & 4) != 0,
                    IsFd = (t.Item2 & 8) != 0,
                    BitrateSwitch = (t.Item2 & 16) != 0,
                    ErrorStateIndicator = (t.Item2 & 32) != 0,
                    IsRx = (t.Item2 & 64) != 0,
                    Timestamp = t.Item3,
                    Channel = t.Item4,
                    Data = t.Item5,
                };
                return t.Item6 >= 0 ? message with { Dlc = t.Item6 } : message;
            });

    private static CanMessage Build((int Kind, bool Extended, double Timestamp, bool Rx, CanChannel Channel, byte[] Data, int Dlc) t, uint id, bool brs, bool esi)
    {
        var message = new CanMessage
        {
            ArbitrationId = id,
            IsExtendedId = t.Extended,
            Timestamp = t.Timestamp,
            IsRx = t.Rx,
            Channel = t.Channel,
        };
        return t.Kind switch
        {
            // classic data frame
            0 => message with { Data = t.Data.AsSpan(0, Math.Min(t.Data.Length, 8)) },

            // classic remote frame
            1 => message with { IsRemoteFrame = true, Dlc = t.Dlc },

            // error frame (python-can puts error details in the data)
            2 => message with { IsErrorFrame = true, Data = t.Data.AsSpan(0, Math.Min(t.Data.Length, 8)) },

            // CAN FD frame (python-can accepts any length 0..64, not only the DLC lengths)
            _ => message with { IsFd = true, BitrateSwitch = brs, ErrorStateIndicator = esi, Data = t.Data },
        };
    }
}
