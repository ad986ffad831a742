using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Canutils;

namespace CanUdpMulticast.Tests.IO;

public sealed class CanutilsLogTests
{
    private static List<CanMessage> Read(string text, CanLogReaderOptions? options = null) =>
        LogText.ReadAll(new CanutilsReader(LogText.Stream(text), options));

    private static string Write(params CanMessage[] messages) =>
        LogText.Write(s => new CanutilsWriter(s), messages);

    [Fact]
    public void Read_CandumpLine_GivesTimeChannelIdAndData()
    {
        var frame = Read("(1700000000.123456) can0 123#DEADBEEF\n").Single();

        frame.Should().Be(new CanMessage(0x123, [0xDE, 0xAD, 0xBE, 0xEF]) { Timestamp = 1700000000.123456, Channel = "can0" });
    }

    [Theory]
    [InlineData(" R", true)]
    [InlineData(" T", false)]
    [InlineData(" t", false)]
    [InlineData("", true)]
    public void Read_DirectionSuffix_SetsIsRx(string suffix, bool isRx)
    {
        Read($"(1.5) vcan0 7FF#01{suffix}").Single().IsRx.Should().Be(isRx);
    }

    [Fact]
    public void Read_EveryFrameKind_ParsesLikeCansend()
    {
        var frames = Read("""
            (1.000000) can0 12345678#0011 T
            (2.000000) can0 7FF#R5 R
            (3.000000) can0 1ABCDEF0#R
            (4.000000) can0 456##3A0A1A2A3A4A5A6A7A8A9AAAB
            (5.000000) can0 20000004#0004000000000000

            (6.000000) 3 000#
            """);

        frames.Should().HaveCount(6);
        frames[0].Should().Be(new CanMessage(0x12345678, [0x00, 0x11], isExtendedId: true) { Timestamp = 1, Channel = "can0", IsRx = false });
        frames[1].Should().Be(new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 5, Timestamp = 2, Channel = "can0" });
        frames[2].Should().Be(new CanMessage { ArbitrationId = 0x1ABCDEF0, IsExtendedId = true, IsRemoteFrame = true, Timestamp = 3, Channel = "can0" });
        frames[3].IsFd.Should().BeTrue();
        frames[3].BitrateSwitch.Should().BeTrue();
        frames[3].ErrorStateIndicator.Should().BeTrue();
        frames[3].DataLength.Should().Be(12);
        frames[4].Should().Be(new CanMessage(0x04, [0, 4, 0, 0, 0, 0, 0, 0], isExtendedId: true) { IsErrorFrame = true, Timestamp = 5, Channel = "can0" });
        frames[5].Channel.Should().Be(new CanChannel(3), "an all-digit channel is a number, as in python-can");
    }

    [Theory]
    [InlineData("(1.0) can0 123#DEADBEEF\r\n(2.0) can0 124#00\r\n")]
    [InlineData("(1.0) can0 123#DEADBEEF\r(2.0) can0 124#00\r")]
    [InlineData("\uFEFF(1.0) can0 123#DEADBEEF\n(2.0) can0 124#00")]
    public void Read_AnyLineEndAndByteOrderMark_Accepted(string text)
    {
        Read(text).Select(f => f.ArbitrationId).Should().Equal(0x123u, 0x124u);
    }

    [Theory]
    [InlineData("(1.0) can0 123#DEADBEEF\n(2.0) can0 123#XYZ\n", 2)]
    [InlineData("(1.0) can0 123#DEADBEEF\n\n(2.0) can0\n", 3)]
    [InlineData("1.0 can0 123#00\n", 1)]
    [InlineData("(1.0) can0 123#00 X\n", 1)]
    [InlineData("(1.0) can0 1234#00\n", 1)]
    [InlineData("(1.0) can0 123#00\n(2.0) can0 123#DEADB", 2)]
    [InlineData("(1.0) can0 123#00\n(2.0", 2)]
    public void Read_BrokenLine_ThrowsWithItsLineNumber(string text, int line)
    {
        var act = () => Read(text);

        act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line && e.Message.Contains($"line {line}"));
    }

    [Fact]
    public void Read_BrokenLinesWithSkip_SkipsAndCountsThem()
    {
        var reader = new CanutilsReader(LogText.Stream("(1.0) can0 123#00\ngarbage\n(2.0) can0 124#00\n(3.0) can0 125#0\n"), new CanLogReaderOptions { InvalidLines = InvalidLineHandling.Skip });

        var frames = LogText.ReadAll(reader);

        frames.Select(f => f.ArbitrationId).Should().Equal(0x123u, 0x124u);
        reader.InvalidLineCount.Should().Be(2);
    }

    [Fact]
    public void Read_BinaryGarbageWithoutLineBreaks_StopsAtTheLineLimitWithBoundedMemory()
    {
        var garbage = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(garbage);
        for (var i = 0; i < garbage.Length; i++)
        {
            if (garbage[i] is (byte)'\n' or (byte)'\r')
            {
                garbage[i] = 0;
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reader = new CanutilsReader(new MemoryStream(garbage));
        var read = () => LogText.ReadAll(reader);

        read.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == 1 && e.Message.Contains("longer than"));
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(512 * 1024, "the reader must not buffer more than one line");
    }

    [Fact]
    public void Read_LargeStream_StreamsInConstantMemory()
    {
        const int Lines = 500_000;
        using var stream = new GeneratedLogStream(Lines);
        using var reader = new CanutilsReader(stream);

        var before = GC.GetAllocatedBytesForCurrentThread();
        long count = 0;
        uint lastId = 0;
        foreach (var frame in reader)
        {
            count++;
            lastId = frame.ArbitrationId;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        count.Should().Be(Lines);
        lastId.Should().Be((Lines - 1) % 0x800);
        allocated.Should().BeLessThan(1024 * 1024, "reading allocates nothing per frame");
    }

    [Fact]
    public void Enumerate_Twice_Throws()
    {
        using var reader = new CanutilsReader(LogText.Stream("(1.0) can0 123#00\n"));
        _ = reader.ToList();

        var again = () => reader.ToList();

        again.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task ReadAsync_SameFramesAsSync()
    {
        var text = string.Concat(LogTestMessages.All.Select(m => Write(m)));

        var asynchronous = await LogText.ReadAllAsync(new CanutilsReader(LogText.Stream(text)));

        asynchronous.Should().Equal(Read(text));
        asynchronous.Should().HaveCount(LogTestMessages.All.Count);
    }

    [Fact]
    public void Write_EveryFrameKind_PythonCanLayout()
    {
        var text = Write(
            new CanMessage(0x123, [0xDE, 0xAD]) { Timestamp = 1700000000.5, Channel = "can0" },
            new CanMessage(0x1234, [], isExtendedId: true) { Timestamp = 1700000001, Channel = 1, IsRx = false },
            new CanMessage { ArbitrationId = 0x10, IsRemoteFrame = true, Dlc = 3, Timestamp = 1700000002 },
            new CanMessage(0x7, [1, 2]) { IsFd = true, BitrateSwitch = true, Timestamp = 1700000003, Channel = "7" },
            new CanMessage(0, [0, 0, 0, 0, 0, 0, 0, 0]) { IsErrorFrame = true, Timestamp = 1700000004, Channel = "vcan1" },
            new CanMessage(0x4, []) { IsErrorFrame = true, Timestamp = 1700000005, Channel = "vcan1" });

        text.Should().Be("""
            (1700000000.500000) can0 123#DEAD R
            (1700000001.000000) can1 00001234# T
            (1700000002.000000) vcan0 010#R3 R
            (1700000003.000000) can7 007##10102 R
            (1700000004.000000) vcan1 20000080#0000000000000000
            (1700000005.000000) vcan1 20000004#

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Write_TimeGoingBackwards_WritesThePreviousTime()
    {
        var text = Write(new CanMessage(1, []) { Timestamp = 10 }, new CanMessage(2, []) { Timestamp = 9 }, new CanMessage(3, []) { Timestamp = double.NaN });

        text.Should().Be("(10.000000) vcan0 001# R\n(10.000000) vcan0 002# R\n(10.000000) vcan0 003# R\n");
    }

    [Fact]
    public void Write_InvalidFrameOrChannel_Throws()
    {
        var tooLong = () => Write(new CanMessage(0x800, []));
        var blank = () => Write(new CanMessage(0x1, []) { Channel = "can 0" });

        tooLong.Should().Throw<ArgumentException>().WithMessage("*2^11*");
        blank.Should().Throw<ArgumentException>().WithMessage("*blanks*");
    }

    [Fact]
    public void Write_WithDefaultChannelOption_UsesIt()
    {
        var text = LogText.Write(s => new CanutilsWriter(s, new CanLogWriterOptions { DefaultChannel = "slcan0" }), [new CanMessage(0x1, []) { Timestamp = 1 }]);

        text.Should().Be("(1.000000) slcan0 001# R\n");
    }

    [Fact]
    public void Write_Append_KeepsTheFile()
    {
        using var directory = new TempDirectory();
        var path = directory.File("a.log");
        using (var writer = new CanutilsWriter(path))
        {
            writer.Write(new CanMessage(1, []) { Timestamp = 1 });
        }

        using (var writer = new CanutilsWriter(path, new CanLogWriterOptions { Append = true }))
        {
            writer.Write(new CanMessage(2, []) { Timestamp = 2 });
        }

        LogText.ReadAll(new CanutilsReader(path)).Select(f => f.ArbitrationId).Should().Equal(1u, 2u);
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var writer = new CanutilsWriter(new MemoryStream());
        writer.Dispose();

        var act = () => writer.Write(new CanMessage(1, []));

        act.Should().Throw<ObjectDisposedException>();
    }

    /// <summary>A .log file of any length produced on the fly, never held in memory.</summary>
    private sealed class GeneratedLogStream(int lines) : Stream
    {
        private readonly byte[] _line = new byte[64];
        private int _next;
        private int _lineLength;
        private int _linePosition;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (_linePosition == _lineLength)
                {
                    if (_next == lines)
                    {
                        break;
                    }

                    // The same line with a running id, built without allocating.
                    _lineLength = "(1700000000.123456) can0 000#0011223344556677 R\n"u8.Length;
                    "(1700000000.123456) can0 000#0011223344556677 R\n"u8.CopyTo(_line);
                    var id = _next % 0x800;
                    _line[25] = (byte)"0123456789ABCDEF"[id >> 8];
                    _line[26] = (byte)"0123456789ABCDEF"[(id >> 4) & 0xF];
                    _line[27] = (byte)"0123456789ABCDEF"[id & 0xF];
                    _linePosition = 0;
                    _next++;
                }

                var n = Math.Min(count - written, _lineLength - _linePosition);
                Buffer.BlockCopy(_line, _linePosition, buffer, offset + written, n);
                _linePosition += n;
                written += n;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
