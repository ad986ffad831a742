using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Trc;

namespace CanUdpMulticast.Tests.IO;

public sealed class TrcTests
{
    private static readonly CanLogReaderOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };

    // $STARTTIME=45000.5: 2023-03-15 12:00:00 (here read as UTC).
    private const double Start = 1678881600.0;

    private static List<CanMessage> Read(string text, CanLogReaderOptions? options = null) =>
        LogText.ReadAll(new TrcReader(LogText.Stream(text), options ?? Utc));

    [Fact]
    public void Read_Version10_OffsetsWithoutStartTime()
    {
        var frames = Read("""
            ;##########################################################################
            ;   Start time: 15.03.2023 12:00:00.000
            ;----+- ---+--- ----+--- + -+ -- -- ...
                 1)      1500  00000100  8  00 01 02 03 04 05 06 07
                 2)      1600  FFFFFFFF  4  00 00 00 08 -- -- -- -- BUSHEAVY
                 3)      1700      0201  3  RTR
                 4)      1800      0001  2  ERROR 19 08
                 5)      1900      07FF  0
            """);

        frames.Should().HaveCount(4);
        frames[0].Should().Be(new CanMessage(0x100, [0, 1, 2, 3, 4, 5, 6, 7], isExtendedId: true) { Timestamp = 1.5 });
        frames[1].Should().Be(new CanMessage { ArbitrationId = 0x201, IsRemoteFrame = true, Dlc = 3, Timestamp = 1.7 });
        frames[2].Should().Be(new CanMessage(0x001, [0x19, 0x08]) { IsErrorFrame = true, Timestamp = 1.8 });
        frames[3].Should().Be(new CanMessage(0x7FF, []) { Timestamp = 1.9 });
    }

    [Fact]
    public void Read_Version11_TypesAndStartTime()
    {
        var frames = Read("""
            ;$FILEVERSION=1.1
            ;$STARTTIME=45000.5
            ;   Message Number / Time Offset (ms) / Type / ID (hex) / Data Length / Data Bytes (hex)
                 1)      1000.5  Rx         0300  2  00 11
                 2)      1100.0  Tx     18EF1234  1  FF
                 3)      1200.0  Warng  FFFFFFFF  4  00 00 00 04  BUSLIGHT
                 4)      1300.0  Error      0008  4  00 19 08 08
                 5)      1400.0  Rx         0100  3  RTR
            """);

        frames.Should().HaveCount(4);
        frames[0].Should().Be(new CanMessage(0x300, [0x00, 0x11]) { Timestamp = Start + 1.0005 });
        frames[1].Should().Be(new CanMessage(0x18EF1234, [0xFF], isExtendedId: true) { Timestamp = Start + 1.1, IsRx = false });
        frames[2].Should().Be(new CanMessage(0x008, [0x00, 0x19, 0x08, 0x08]) { IsErrorFrame = true, Timestamp = Start + 1.3 });
        frames[3].Should().Be(new CanMessage { ArbitrationId = 0x100, IsRemoteFrame = true, Dlc = 3, Timestamp = Start + 1.4 });
    }

    [Fact]
    public void Read_Versions12And13_BusColumn()
    {
        var v12 = Read(";$FILEVERSION=1.2\n;$STARTTIME=45000.5\n     1)      1059.900 2  Rx         0300  2  00 11\n");
        var v13 = Read(";$FILEVERSION=1.3\n;$STARTTIME=45000.5\n     1)      1059.900 2  Tx         0300 -  2    00 11\n     2)      1060.000 1  Rx         0301 -  1    RTR\n");

        v12.Single().Should().Be(new CanMessage(0x300, [0x00, 0x11]) { Timestamp = Start + 1.0599, Channel = 1 });
        v13.Should().HaveCount(2);
        v13[0].Should().Be(new CanMessage(0x300, [0x00, 0x11]) { Timestamp = Start + 1.0599, Channel = 1, IsRx = false });
        v13[1].Should().Be(new CanMessage { ArbitrationId = 0x301, IsRemoteFrame = true, Dlc = 1, Timestamp = Start + 1.06, Channel = 0 });
    }

    [Fact]
    public void Read_Version20_ColumnsWithoutBus()
    {
        var frames = Read("""
            ;$FILEVERSION=2.0
            ;$STARTTIME=45000.5
            ;$COLUMNS=N,O,T,I,d,l,D
                  1      1000.000 DT     0300 Rx 2  00 11
                  2      1001.000 FD     0500 Tx 12 01 02 03 04 05 06 07 08 09 0A 0B 0C
                  3      1002.000 ER          Rx    04 00 02 00 00
                  4      1003.000 ST          Rx    00 00 00 08
                  5      1004.000 EC          Rx    02 02
                  6      1005.000 DT 18EFC034 Tx 8  01 02 03 04 05 06 07 08
                  7      1006.000 RR     0100 Rx 3
            """);

        frames.Should().HaveCount(5);
        frames[0].Should().Be(new CanMessage(0x300, [0x00, 0x11]) { Timestamp = Start + 1.0 });
        frames[1].Should().Be(new CanMessage(0x500, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) { IsFd = true, IsRx = false, Timestamp = Start + 1.001 });
        frames[2].Should().Be(new CanMessage(0, [4, 0, 2, 0, 0]) { IsErrorFrame = true, Timestamp = Start + 1.002 });
        frames[3].Should().Be(new CanMessage(0x18EFC034, [1, 2, 3, 4, 5, 6, 7, 8], isExtendedId: true) { IsRx = false, Timestamp = Start + 1.005 });
        frames[4].Should().Be(new CanMessage { ArbitrationId = 0x100, IsRemoteFrame = true, Dlc = 3, Timestamp = Start + 1.006 });
    }

    [Fact]
    public void Read_Version21_EveryType()
    {
        var reader = new TrcReader(LogText.Stream("""
            ;$FILEVERSION=2.1
            ;$STARTTIME=45000.5
            ;$COLUMNS=N,O,T,B,I,d,R,L,D
                  1      1000.000 DT 1      0300 Rx -  2    00 11
                  2      1001.000 FD 2      0500 Tx -  9    01 02 03 04 05 06 07 08 09 0A 0B 0C
                  3      1002.000 FB 1      0501 Rx -  12   01 02 03 04 05 06 07 08 09 0A 0B 0C
                  4      1003.000 FE 1  00000502 Rx -  1    01
                  5      1004.000 BI 1      0503 Rx -  0
                  6      1005.000 ER 3         - Rx -  5    04 00 02 08 00
                  7      1006.000 EV 1 User-defined event for bus 1
                  8      1007.000 EV - User-defined event for all busses
                  9      1008.000 ST 1         - Rx -  4    00 00 00 08
                 10      1009.000 EC 1         - Rx -  2    02 02
                 11      1010.000 RR 1      0100 Rx -  3
            """), Utc);

        var frames = LogText.ReadAll(reader);

        reader.FileVersion.Should().Be(new Version(2, 1));
        byte[] twelve = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        frames.Should().HaveCount(7);
        frames[0].Should().Be(new CanMessage(0x300, [0x00, 0x11]) { Timestamp = Start + 1.0, Channel = 0 });
        frames[1].Should().Be(new CanMessage(0x500, twelve) { IsFd = true, IsRx = false, Timestamp = Start + 1.001, Channel = 1 });
        frames[2].Should().Be(new CanMessage(0x501, twelve) { IsFd = true, BitrateSwitch = true, Timestamp = Start + 1.002, Channel = 0 }, "a byte count in L is recognised by the data columns");
        frames[3].Should().Be(new CanMessage(0x502, [1], isExtendedId: true) { IsFd = true, ErrorStateIndicator = true, Timestamp = Start + 1.003, Channel = 0 });
        frames[4].Should().Be(new CanMessage(0x503, []) { IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, Timestamp = Start + 1.004, Channel = 0 });
        frames[5].Should().Be(new CanMessage(0, [4, 0, 2, 8, 0]) { IsErrorFrame = true, Timestamp = Start + 1.005, Channel = 2 });
        frames[6].Should().Be(new CanMessage { ArbitrationId = 0x100, IsRemoteFrame = true, Dlc = 3, Timestamp = Start + 1.010, Channel = 0 });
    }

    [Fact]
    public void Read_RelativeTimestampsOption_GivesOffsets()
    {
        var frame = Read(";$FILEVERSION=2.1\n;$STARTTIME=45000.5\n      1      1000.250 DT 1      0300 Rx -  0\n", new CanLogReaderOptions { RelativeTimestamps = true }).Single();

        frame.Timestamp.Should().Be(1.00025);
    }

    [Theory]
    [InlineData(";$FILEVERSION=3.0\n      1      1.000 DT 1      0300 Rx -  0\n", 1)]
    [InlineData(";$FILEVERSION=2.1\n;$STARTTIME=yesterday\n", 2)]
    [InlineData(";$FILEVERSION=2.1\n;$COLUMNS=N,O,T\n", 2)]
    public void Read_WrongHeader_ThrowsEvenWhenSkippingBrokenLines(string text, int line)
    {
        var act = () => Read(text, new CanLogReaderOptions { InvalidLines = InvalidLineHandling.Skip });

        act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line);
    }

    [Theory]
    [InlineData(";$FILEVERSION=2.1\n      1      1.000 DT 1      0300 Rx -  4    00 11\n", 2)]
    [InlineData(";$FILEVERSION=2.1\n      1      1.000 DT 1      0300 Rx -  1    00\n      2      1.000 XX 1      0300 Rx -  0\n", 3)]
    [InlineData(";$FILEVERSION=2.1\n      1      1.000 DT 1      0300 Rx -  9    00\n", 2)]
    [InlineData(";$FILEVERSION=1.1\n     1)      1000.5  Rx         0300  2  00\n", 2)]
    [InlineData(";$FILEVERSION=1.1\n     1      1000.5  Rx         0300  0\n", 2)]
    [InlineData("garbage\n", 1)]
    public void Read_BrokenLine_ThrowsWithItsLineNumber(string text, int line)
    {
        var act = () => Read(text);

        act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line);
    }

    [Fact]
    public void Write_Version21Layout()
    {
        var options = new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc };
        var text = LogText.Write(s => new TrcWriter(s, options),
        [
            new CanMessage(0x300, [0x00, 0x11]) { Timestamp = Start + 1.000_250, Channel = "can0" },
            new CanMessage(0x18EFC034, [1], isExtendedId: true) { Timestamp = Start + 1.5, Channel = 1, IsRx = false },
            new CanMessage { ArbitrationId = 0x100, IsRemoteFrame = true, Dlc = 3, Timestamp = Start + 2 },
            new CanMessage(0x80, [1, 2]) { IsErrorFrame = true, Timestamp = Start + 3, Channel = 2 },
            new CanMessage(0x501, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) { IsFd = true, BitrateSwitch = true, Timestamp = Start + 4, Channel = 0 },
        ]);

        var lines = text.Split("\r\n");
        lines[0].Should().Be(";$FILEVERSION=2.1");
        lines[1].Should().StartWith(";$STARTTIME=");
        var days = double.Parse(lines[1][";$STARTTIME=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        ((days - 25569) * 86400).Should().BeApproximately(Start + 1, 1e-6, "the trace starts at the first frame's millisecond");
        lines[2].Should().Be(";$COLUMNS=N,O,T,B,I,d,R,L,D");
        lines.Where(l => !l.StartsWith(';')).Should().Equal(
            "      1         0.250 DT  1     0300 Rx -  2    00 11",
            "      2       500.000 DT  2 18EFC034 Tx -  1    01",
            "      3      1000.000 RR  1     0100 Rx -  3",
            "      4      2000.000 ER  3        - Rx -  2    01 02",
            "      5      3000.000 FB  1     0501 Rx -  9    01 02 03 04 05 06 07 08 09 0A 0B 0C",
            string.Empty);
        text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Should().NotContain("\n", "every line ends in CR LF");
    }

    [Fact]
    public void Write_ThenRead_SameFrames()
    {
        var options = new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc };
        var text = LogText.Write(s => new TrcWriter(s, options), LogTestMessages.All);

        var frames = Read(text);

        frames.Should().HaveCount(LogTestMessages.All.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            var m = LogTestMessages.All[i];
            var expected = m.IsErrorFrame
                ? new CanMessage(0, m.Data) { IsErrorFrame = true, Timestamp = m.Timestamp, Channel = LogTestMessages.ChannelNumber(m.Channel) ?? 0, IsRx = m.IsRx }
                : m with { Channel = LogTestMessages.ChannelNumber(m.Channel) ?? 0 };
            frames[i].IsEquivalentTo(expected, 1.0001e-6).Should().BeTrue($"{frames[i]} vs {expected}");
        }
    }

    [Fact]
    public void Create_Append_NotSupported()
    {
        var act = () => new TrcWriter(new MemoryStream(), new CanLogWriterOptions { Append = true });

        act.Should().Throw<NotSupportedException>();
    }
}
