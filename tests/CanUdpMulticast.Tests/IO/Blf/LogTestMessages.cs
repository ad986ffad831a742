namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>The fixed message list of the cross-checks with python-can: every kind of frame a log format must carry.</summary>
internal static class LogTestMessages
{
    public const double Start = 1_700_000_000.123456;

    public static IReadOnlyList<CanMessage> All { get; } = Build();

    private static List<CanMessage> Build()
    {
        var data64 = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
        var list = new List<CanMessage>
        {
            new(0x123, [0xDE, 0xAD, 0xBE, 0xEF]) { Channel = 0 },
            new(0x000, []) { Channel = 0 },
            new(0x7FF, [1, 2, 3, 4, 5, 6, 7, 8]) { Channel = 1 },
            new(0x1FFF_FFFF, [0x11, 0x22], isExtendedId: true) { Channel = 1, IsRx = false },
            new(0x0000_0001, [], isExtendedId: true) { Channel = 2 },
            new(0x321, []) { IsRemoteFrame = true, Dlc = 4, Channel = 0 },
            new(0x18FF_1234, [], isExtendedId: true) { IsRemoteFrame = true, Dlc = 8, Channel = 3 },
            new(0x000, [0, 0, 0, 0x80, 0, 0, 0, 0]) { IsErrorFrame = true, Channel = 0 },
            new(0x0000_0004, [0, 8], isExtendedId: true) { IsErrorFrame = true, Channel = 2 },
            new(0x456, data64) { IsFd = true, BitrateSwitch = true, Channel = 0 },
            new(0x457, data64.AsSpan(0, 12)) { IsFd = true, ErrorStateIndicator = true, Channel = 1 },
            new(0x1234_5678, data64.AsSpan(0, 48), isExtendedId: true) { IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, Channel = 2, IsRx = false },
            new(0x458, []) { IsFd = true, Channel = 3 },
            new(0x459, [9]) { IsFd = true, Channel = 0 },
            new(0x100, [1, 2, 3]) { Channel = 4, IsRx = false },
            new(0x101, [4, 5, 6, 7, 8]) { Channel = 5 },
        };
        return list.Select((m, i) => m with { Timestamp = Start + (i * 0.000731) }).ToList();
    }
}
