using CanUdpMulticast.Cli.Output;

namespace CanUdpMulticast.Cli.Tests.Output;

/// <summary>
/// candump's output, character for character (can-utils candump.c / lib.c formatting rules):
/// <c>" " [ "(ts) " ] " " name "  " id, [len], " XX" per byte</c>.
/// </summary>
public sealed class FramePrinterGoldenTests
{
    private const double Ts = 1700000000.123456;

    private static CanMessage Frame(uint id, params byte[] data) => new(id, data) { Channel = "vcan0", Timestamp = Ts };

    [Fact]
    public void Candump_StandardFrame_MatchesCandump()
    {
        new FramePrinter().FormatLine(Frame(0x123, 0x11, 0x22, 0x33))
            .Should().Be("  vcan0  123   [3]  11 22 33");
    }

    [Fact]
    public void Candump_ExtendedFrame_PrintsEightDigitsAndThreeSpaces()
    {
        new FramePrinter().FormatLine(new CanMessage(0x12345678, [0x11, 0x22, 0x33], isExtendedId: true) { Channel = "vcan0" })
            .Should().Be("  vcan0  12345678   [3]  11 22 33");
    }

    [Fact]
    public void Candump_StandardFrameAfterExtendedOne_IsIndented()
    {
        var printer = new FramePrinter();
        printer.FormatLine(Frame(0x123, 0x01)).Should().Be("  vcan0  123   [1]  01");
        printer.FormatLine(new CanMessage(0x1ABCDEF, [0x02], isExtendedId: true) { Channel = "vcan0" });
        printer.FormatLine(Frame(0x123, 0x03)).Should().Be("  vcan0       123   [1]  03");
    }

    [Fact]
    public void Candump_EmptyFrame_KeepsCandumpsTrailingSpace()
    {
        new FramePrinter().FormatLine(Frame(0x7FF)).Should().Be("  vcan0  7FF   [0] ");
    }

    [Fact]
    public void Candump_RemoteFrame_SaysRemoteRequest()
    {
        new FramePrinter().FormatLine(new CanMessage { ArbitrationId = 0x123, IsRemoteFrame = true, Dlc = 4, Channel = "vcan0" })
            .Should().Be("  vcan0  123   [4]  remote request");
    }

    [Fact]
    public void Candump_FdFrame_PrintsTwoDigitLength()
    {
        var data = Enumerable.Range(0, 12).Select(i => (byte)i).ToArray();
        new FramePrinter().FormatLine(new CanMessage(0x123, data) { IsFd = true, Channel = "vcan0" })
            .Should().Be("  vcan0  123  [12]  00 01 02 03 04 05 06 07 08 09 0A 0B");
    }

    [Fact]
    public void Candump_ErrorFrame_PrintsErrorFlagIdAndErrorframe()
    {
        new FramePrinter().FormatLine(new CanMessage(0x80, new byte[8]) { IsErrorFrame = true, Channel = "vcan0" })
            .Should().Be("  vcan0  20000080   [8]  00 00 00 00 00 00 00 00   ERRORFRAME");
    }

    [Fact]
    public void Candump_Ascii_AppendsPrintableBytesAtAFixedColumn()
    {
        new FramePrinter(ascii: true).FormatLine(Frame(0x123, 0x11, 0x22, 0x33))
            .Should().Be("  vcan0  123   [3]  11 22 33                  '.\"3'");
    }

    [Fact]
    public void Candump_AbsoluteTimestamp_MatchesCandumpTa()
    {
        new FramePrinter(timestamps: TimestampMode.Absolute).FormatLine(Frame(0x123, 0x11, 0x22, 0x33))
            .Should().Be(" (1700000000.123456)  vcan0  123   [3]  11 22 33");
    }

    [Fact]
    public void Candump_ZeroAndDeltaTimestamps_CountFromFirstAndPrevious()
    {
        var zero = new FramePrinter(timestamps: TimestampMode.Zero);
        var delta = new FramePrinter(timestamps: TimestampMode.Delta);
        double[] times = [Ts, Ts + 0.25, Ts + 1.5];
        var zeroLines = times.Select(t => zero.FormatLine(Frame(0x1, 0xAA) with { Timestamp = t })).ToList();
        var deltaLines = times.Select(t => delta.FormatLine(Frame(0x1, 0xAA) with { Timestamp = t })).ToList();

        zeroLines.Should().Equal(
            " (000.000000)  vcan0  001   [1]  AA",
            " (000.250000)  vcan0  001   [1]  AA",
            " (001.500000)  vcan0  001   [1]  AA");
        deltaLines.Should().Equal(
            " (000.000000)  vcan0  001   [1]  AA",
            " (000.250000)  vcan0  001   [1]  AA",
            " (001.250000)  vcan0  001   [1]  AA");
    }

    [Fact]
    public void Candump_DateTimestamp_UsesLocalDateAndMicroseconds()
    {
        var expected = DateTimeOffset.FromUnixTimeSeconds(1700000000).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        new FramePrinter(timestamps: TimestampMode.AbsoluteDate).FormatLine(Frame(0x123, 0x11))
            .Should().Be($" ({expected}.123456)  vcan0  123   [1]  11");
    }

    [Fact]
    public void Candump_NamesOfDifferentLength_AreRightAlignedToTheLongestSeen()
    {
        var printer = new FramePrinter();
        printer.FormatLine(Frame(0x1, 0x01) with { Channel = "can10" });
        printer.FormatLine(Frame(0x1, 0x01) with { Channel = "can1" }).Should().Be("   can1  001   [1]  01");
    }

    [Fact]
    public void Candump_FrameWithoutChannel_UsesTheFallbackName()
    {
        new FramePrinter(fallbackChannel: "udp0").FormatLine(new CanMessage(0x1, [0x01]))
            .Should().Be("  udp0  001   [1]  01");
        new FramePrinter().FormatLine(new CanMessage(0x1, [0x01]) { Channel = 2 })
            .Should().Be("  can2  001   [1]  01");
    }

    [Fact]
    public void Log_Line_MatchesCandumpL()
    {
        new FramePrinter(DumpFormat.Log).FormatLine(Frame(0x123, 0x11, 0x22, 0x33))
            .Should().Be("(1700000000.123456) vcan0 123#112233");
    }

    [Theory]
    [InlineData("12345678#R", "(1700000000.123456) vcan0 12345678#R")]
    [InlineData("123#R4", "(1700000000.123456) vcan0 123#R4")]
    [InlineData("123##3AABB", "(1700000000.123456) vcan0 123##3AABB")]
    [InlineData("20000080#0000000000000000", "(1700000000.123456) vcan0 20000080#0000000000000000")]
    public void Log_OtherKinds_UseCansendSyntax(string frame, string expected)
    {
        var message = IO.CanFrameText.Parse(frame) with { Channel = "vcan0", Timestamp = Ts };
        new FramePrinter(DumpFormat.Log).FormatLine(message).Should().Be(expected);
    }

    [Fact]
    public void Log_SmallTimestamp_IsZeroPaddedToTenDigits()
    {
        new FramePrinter(DumpFormat.Log).FormatLine(Frame(0x1) with { Timestamp = 12.5 })
            .Should().Be("(0000000012.500000) vcan0 001#");
    }

    [Fact]
    public void Python_Line_IsCanMessageToString()
    {
        var message = Frame(0x123, 0x11, 0x22, 0x33);
        new FramePrinter(DumpFormat.Python).FormatLine(message).Should().Be(message.ToString());
    }

    [Fact]
    public void Candump_WithColor_WrapsNameInAnsiAndStripsToThePlainLine()
    {
        var line = new FramePrinter(timestamps: TimestampMode.Absolute, color: true).FormatLine(Frame(0x123, 0x11));
        line.Should().Contain("\u001b[");
        AnsiColors.Strip(line).Should().Be(" (1700000000.123456)  vcan0  123   [1]  11");
    }

    [Fact]
    public void Candump_WithoutColor_HasNoEscapeSequences()
    {
        new FramePrinter().FormatLine(Frame(0x123, 0x11)).Should().NotContain("\u001b");
    }
}
