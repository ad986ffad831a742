using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Asc;
using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Tests.IO;

public sealed class AscTests
{
    private static readonly CanLogReaderOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };

    // 2023-01-02 15:04:05.678 UTC
    private const double Start = 1672671845.678;

    private const string Sample = """
        date Mon Jan 02 03:04:05.678 pm 2023
        base hex  timestamps absolute
        // a comment
        internal events logged
        // version 13.0.0
        Begin Triggerblock Mon Jan 02 03:04:05.678 pm 2023
           0.000000 Start of measurement
           0.001000 1  Statistic: D 0 R 0 XD 0 XR 0 E 0 O 0 B 0.00%
           0.010000 1  123             Rx   d 3 01 02 03
           0.020000 2  1ABx            Tx   d 2 AA bb  Length = 1234 BitCount = 64 ID = 427x
           0.030000 1  200             Rx   r
           0.040000 1  201             Rx   r 4
           0.050000 2  ErrorFrame
           0.060000 CANFD   1 Rx        300  SomeMessage                      1 0 a 16 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   130000  130     3000 0 0 0 0 0
           0.070000 CANFD   2 Tx   1234567x                                   0 1 2  2 11 22        0    0     5000        0        0        0        0        0
           0.080000 CANFD   1 Rx        301                                   0 0 3  0        0    0       10        0        0        0        0        0
           0.090000 CANFD   1 Rx        302                                   0 0 8  8 01 02 03 04 05 06 07 08        0    0        0        0        0        0        0        0
           0.095000 CANFD   1 Rx   ErrorFrame Not Acknowledge error, dominant error flag
           0.100000 1  J1939TP FEEBp 6 0 0 - Rx d 23 00 01
           0.110000 CAN 1 Status:chip status error active
        End TriggerBlock
        """;

    private static List<CanMessage> Read(string text, CanLogReaderOptions? options = null) =>
        LogText.ReadAll(new AscReader(LogText.Stream(text), options ?? Utc));

    [Fact]
    public void Read_VectorFile_GivesEveryFrameAndSkipsOtherEvents()
    {
        var frames = Read(Sample);

        byte[] sixteen = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        frames.Should().HaveCount(10);
        Expect(frames[0], new CanMessage(0x123, [1, 2, 3]) { Channel = 0 }, 0.010);
        Expect(frames[1], new CanMessage(0x1AB, [0xAA, 0xBB], isExtendedId: true) { Channel = 1, IsRx = false }, 0.020);
        Expect(frames[2], new CanMessage { ArbitrationId = 0x200, IsRemoteFrame = true, Channel = 0 }, 0.030);
        Expect(frames[3], new CanMessage { ArbitrationId = 0x201, IsRemoteFrame = true, Dlc = 4, Channel = 0 }, 0.040);
        Expect(frames[4], new CanMessage { IsErrorFrame = true, Channel = 1 }, 0.050);
        Expect(frames[5], new CanMessage(0x300, sixteen) { IsFd = true, BitrateSwitch = true, Channel = 0 }, 0.060);
        Expect(frames[6], new CanMessage(0x1234567, [0x11, 0x22], isExtendedId: true) { IsFd = true, ErrorStateIndicator = true, Channel = 1, IsRx = false }, 0.070);
        Expect(frames[7], new CanMessage { ArbitrationId = 0x301, IsRemoteFrame = true, Dlc = 3, Channel = 0 }, 0.080);
        Expect(frames[8], new CanMessage(0x302, [1, 2, 3, 4, 5, 6, 7, 8]) { Channel = 0 }, 0.090);
        Expect(frames[9], new CanMessage { IsErrorFrame = true, IsFd = true, Channel = 0 }, 0.095);
    }

    [Fact]
    public void Read_RelativeTimestampsOption_IgnoresTheStartDate()
    {
        var frames = Read(Sample, new CanLogReaderOptions { RelativeTimestamps = true });

        frames[0].Timestamp.Should().BeApproximately(0.010, 1e-9);
    }

    [Fact]
    public void Read_BaseDec_ReadsDecimalIdsAndData()
    {
        var frame = Read("date Mon Jan 02 03:04:05 PM 2023\nbase dec  timestamps absolute\n 0.5 1  291x Rx d 2 10 255\n").Single();

        frame.IsEquivalentTo(new CanMessage(291, [10, 255], isExtendedId: true) { Channel = 0, Timestamp = Start - 0.678 + 0.5 }).Should().BeTrue(frame.ToString());
    }

    [Fact]
    public void Read_TimestampsRelative_CountsFromThePreviousEvent()
    {
        var frames = Read("base hex  timestamps relative\n 1.0 1 1 Rx d 0\n 0.5 Start of something\n 0.25 1 2 Rx d 0\n", new CanLogReaderOptions { RelativeTimestamps = true });

        frames.Select(f => f.Timestamp).Should().Equal(1.0, 1.25);
    }

    [Theory]
    [InlineData("date Di Mär 14 16:05:06 2023", 1678809906.0)]
    [InlineData("date Tue Nov 14 22:13:20 2023", 1699999999.0 + 1.0)]
    [InlineData("date Tue Nov 14 10:13:20.123456 PM 2023", 1700000000.123456)]
    [InlineData("date Tue Nov 14 12:00:00 AM 2023", 1699920000.0)]
    public void Read_DateForms_GiveTheStartTime(string date, double expected)
    {
        var frame = Read($"{date}\nbase hex  timestamps absolute\n 0.000000 1  1 Rx d 0\n").Single();

        frame.Timestamp.Should().BeApproximately(expected, 1e-6);
    }

    [Theory]
    [InlineData("hello world\n 0.1 1 1 Rx d 0\n", 1)]
    [InlineData("(1.0) can0 123#00\n", 1)]
    [InlineData("date Mon Jan 02 03:04:05 PM 2023\nbase oct\n", 2)]
    [InlineData("date Mon Jan 02 03:04:05 PM 2023\nbase hex timestamps sometimes\n", 2)]
    [InlineData("date Someday\nbase hex\n", 1)]
    public void Read_WrongHeader_ThrowsEvenWhenSkippingBrokenLines(string text, int line)
    {
        var act = () => Read(text, new CanLogReaderOptions { TimeZone = TimeZoneInfo.Utc, InvalidLines = InvalidLineHandling.Skip });

        act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line);
    }

    [Theory]
    [InlineData("base hex\n 0.1 1 123 Rx d 8 01 02 03\n", 2)]
    [InlineData("base hex\n 0.1 1 123 Rx d 1 01\n 0.2 1 12G Rx d 1 01\n", 3)]
    [InlineData("base hex\n 0.1 1 800 Rx d 1 01\n", 2)]
    [InlineData("base hex\n 0.1 CANFD 1 Rx 123 1 0 9 12 01 02\n", 2)]
    [InlineData("base hex\n 0.1 1 123 Rx x 1 01\n", 2)]
    public void Read_BrokenOrTruncatedFrameLine_ThrowsWithItsLineNumber(string text, int line)
    {
        var act = () => Read(text);

        act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line);
    }

    [Fact]
    public void Write_PythonCanLayout()
    {
        var options = new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc };
        var text = LogText.Write(s => new AscWriter(s, options),
        [
            new CanMessage(0x123, [0xDE, 0xAD]) { Timestamp = Start + 0.000_250, Channel = "can0" },
            new CanMessage(0x1AB, [], isExtendedId: true) { Timestamp = Start + 0.5, Channel = 1, IsRx = false },
            new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 8, Timestamp = Start + 1 },
            new CanMessage { IsErrorFrame = true, Timestamp = Start + 2, Channel = 4 },
            new CanMessage(0x456, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) { IsFd = true, BitrateSwitch = true, Timestamp = Start + 3, Channel = 0 },
        ]);

        text.Should().Be("""
            date Mon Jan 02 03:04:05.678 PM 2023
            base hex  timestamps absolute
            internal events logged
            Begin Triggerblock Mon Jan 02 03:04:05.678 PM 2023
             0.000000 Start of measurement
             0.000250 1  123             Rx   d 2 DE AD
             0.500000 2  1ABx            Tx   d 0 
             1.000000 1  7FF             Rx   r 8 
             2.000000 5  ErrorFrame
             3.000000 CANFD   1 Rx        456                                   1 0 9 12 01 02 03 04 05 06 07 08 09 0A 0B 0C        0    0     3000        0        0        0        0        0
            End TriggerBlock

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Write_RelativeTimestamps_WritesDeltasThatReadBack()
    {
        var options = new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc, AscTimestamps = AscTimestampFormat.Relative };
        CanMessage[] frames = [.. Enumerable.Range(0, 5).Select(i => new CanMessage((uint)i, [(byte)i]) { Timestamp = Start + (i * i * 0.1), Channel = 0 })];

        var text = LogText.Write(s => new AscWriter(s, options), frames);
        var read = Read(text);

        text.Should().Contain("base hex  timestamps relative").And.Contain(" 0.700000 1  4 ");
        read.Should().HaveCount(5);
        for (var i = 0; i < frames.Length; i++)
        {
            read[i].IsEquivalentTo(frames[i], 1.0001e-6).Should().BeTrue($"{read[i]} vs {frames[i]}");
        }
    }

    [Fact]
    public void Write_NoFrames_ValidFileDatedNow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 10, TimeSpan.Zero));
        var options = new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc, TimeProvider = clock };

        var text = LogText.Write(s => new AscWriter(s, options), []);

        text.Should().StartWith("date Mon May 06 07:08:09.010 AM 2024\n").And.EndWith("End TriggerBlock\n");
        Read(text).Should().BeEmpty();
    }

    [Fact]
    public void Create_Append_NotSupported()
    {
        var act = () => new AscWriter(new MemoryStream(), new CanLogWriterOptions { Append = true });

        act.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void Write_DefaultChannelOption_UsedAsIs()
    {
        var text = LogText.Write(s => new AscWriter(s, new CanLogWriterOptions { DefaultChannel = 3, TimeZone = TimeZoneInfo.Utc }), [new CanMessage(1, []) { Timestamp = Start }]);

        text.Should().Contain(" 3  1 ");
    }

    private static void Expect(CanMessage actual, CanMessage expected, double offset) =>
        actual.IsEquivalentTo(expected with { Timestamp = Start + offset }, 1e-6).Should().BeTrue($"read {actual}, expected {expected with { Timestamp = Start + offset }}");
}
