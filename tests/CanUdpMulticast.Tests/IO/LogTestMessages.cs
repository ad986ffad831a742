namespace CanUdpMulticast.Tests.IO;

/// <summary>The fixed frames of the log format cross-checks: every kind of frame a log holds.</summary>
internal static class LogTestMessages
{
    public const double Start = 1_700_000_000.123456;

    private static readonly byte[] Sixty4 = [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 3 + 1))];
    private static readonly byte[] Twelve = [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB];

    /// <summary>
    /// Classic standard and extended, remote (with and without DLC), an error frame, CAN FD with BRS, ESI and both,
    /// 0 and 64 bytes, received and sent, channels by name, by number and none.
    /// </summary>
    public static IReadOnlyList<CanMessage> All { get; } =
    [
        new CanMessage(0x123, [0xDE, 0xAD, 0xBE, 0xEF]) { Timestamp = Start, Channel = "can0" },
        new CanMessage(0x12345678, [0x00, 0x11], isExtendedId: true) { Timestamp = Start + 0.010_001, Channel = "can1", IsRx = false },
        new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 5, Timestamp = Start + 0.020_502, Channel = "can0" },
        new CanMessage { ArbitrationId = 0x1ABCDEF0, IsExtendedId = true, IsRemoteFrame = true, Dlc = 0, Timestamp = Start + 0.031_003, Channel = 2 },
        new CanMessage(0, new byte[8]) { IsErrorFrame = true, IsExtendedId = true, Timestamp = Start + 0.041_504, Channel = "can0" },
        new CanMessage(0x456, Twelve) { IsFd = true, BitrateSwitch = true, Timestamp = Start + 0.052_005, Channel = "can1" },
        new CanMessage(0x1FFFFFFF, Sixty4, isExtendedId: true) { IsFd = true, ErrorStateIndicator = true, Timestamp = Start + 0.062_506, Channel = 2, IsRx = false },
        new CanMessage(0x001, Sixty4) { IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, Timestamp = Start + 0.073_007, Channel = "can0" },
        new CanMessage(0x002, []) { IsFd = true, BitrateSwitch = true, Timestamp = Start + 0.083_508, Channel = "can1" },
        new CanMessage(0x000, []) { Timestamp = Start + 1.094_009 },
        new CanMessage(0x0, [1, 2, 3, 4, 5, 6, 7, 8], isExtendedId: true) { Timestamp = Start + 2.104_510, Channel = 2, IsRx = false },
    ];

    /// <summary>The frames can-utils carries through log2asc and asc2log (channels named canN, error class 0x80 with 8 bytes).</summary>
    public static IReadOnlyList<CanMessage> ForCanUtils { get; } =
    [
        .. All.Select(m => m.Channel.IsNumber ? m with { Channel = "can" + m.Channel.Number } : m.Channel.IsNone ? m with { Channel = "can0" } : m)
            .Select(m => m.IsErrorFrame ? m with { ArbitrationId = 0x80 } : m),
    ];

    /// <summary>The channel number formats that number channels (ASC, TRC) derive, python-can's channel2int.</summary>
    public static long? ChannelNumber(CanChannel channel)
    {
        if (channel.IsNumber)
        {
            return channel.Number;
        }

        if (channel.Name is not { } name)
        {
            return null;
        }

        var digits = new string(name.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray());
        return digits.Length > 0 ? long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
