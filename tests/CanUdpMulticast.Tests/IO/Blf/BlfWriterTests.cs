using CanUdpMulticast.IO;
using System.Buffers.Binary;
using CanUdpMulticast.IO.Blf;

namespace CanUdpMulticast.Tests.IO.Blf;

public sealed class BlfWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("blf-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<CanMessage> Read(string path, BlfReaderOptions? options = null)
    {
        using var reader = new BlfReader(path, options);
        return reader.ToList();
    }

    [Fact]
    public void Dispose_WritesPythonCansFileHeader()
    {
        var path = Path.Combine(_dir, "header.blf");
        var utc = new BlfWriterOptions { TimeZone = TimeZoneInfo.Utc };

        // 2023-11-14 22:13:20.123456 UTC (a Tuesday) and 2 s later.
        using (var writer = new BlfWriter(path, utc))
        {
            writer.Write(new CanMessage(1, [1]) { Timestamp = 1_700_000_000.123456 });
            writer.Write(new CanMessage(2, [2]) { Timestamp = 1_700_000_002.9996 });
        }

        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 4).ToArray().Should().Equal("LOGG"u8.ToArray());
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)).Should().Be(144);
        bytes[8].Should().Be(5, "python-can's application id");
        bytes.AsSpan(12, 4).ToArray().Should().Equal(2, 6, 8, 1);
        BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)).Should().Be((ulong)bytes.Length);
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(32)).Should().Be(2, "object count");
        BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)).Should().Be(144 + 32 + (2 * 48), "header + container header + two 48-byte objects");
        SystemTime(bytes.AsSpan(40)).Should().Equal([2023, 11, 2, 14, 22, 13, 20, 123]);
        SystemTime(bytes.AsSpan(56)).Should().Equal(new[] { 2023, 11, 2, 14, 22, 13, 23, 0 }, "the stop time is the last frame's rounded to the millisecond");
        bytes.AsSpan(72, 72).ToArray().Should().OnlyContain(b => b == 0);

        using var reader = new BlfReader(path, new BlfReaderOptions { TimeZone = TimeZoneInfo.Utc });
        reader.Header.StartTimestamp.Should().Be(1_700_000_000.123);
        reader.ToList().Select(m => m.Timestamp).Should().Equal(
            new[] { 1_700_000_000.123456, 1_700_000_002.9996 }, (a, e) => Math.Abs(a - e) < 1e-6);
    }

    private static int[] SystemTime(ReadOnlySpan<byte> bytes)
    {
        var words = new int[8];
        for (var i = 0; i < 8; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
        }

        return words;
    }

    [Fact]
    public void Write_FullContainers_AreExactlyMaxContainerSizeUncompressed()
    {
        var path = Path.Combine(_dir, "containers.blf");
        using (var writer = new BlfWriter(path, new BlfWriterOptions { MaxContainerSize = 1024, CompressionLevel = 0 }))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Write(new CanMessage((uint)i, [1, 2, 3]) { Timestamp = 1_700_000_000 + i });
            }
        }

        var bytes = File.ReadAllBytes(path);
        var sizes = new List<uint>();
        for (var pos = 144; pos < bytes.Length;)
        {
            var objectSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 8));
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 12)).Should().Be(10, "every top-level object is a log container");
            sizes.Add(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 24)));
            pos += (int)(objectSize + (objectSize % 4));
        }

        sizes.Should().Equal(1024, 1024, 1024, 1024, (100 * 48) - (4 * 1024));
        Read(path).Select(m => m.ArbitrationId).Should().Equal(Enumerable.Range(0, 100).Select(i => (uint)i));
    }

    [Fact]
    public void Flush_MakesEveryFrameReadableWhileTheWriterIsOpen()
    {
        var path = Path.Combine(_dir, "flush.blf");
        using var writer = new BlfWriter(path);
        writer.Write(new CanMessage(1, [1]) { Timestamp = 1_700_000_000 });
        writer.Write(new CanMessage(2, [2]) { Timestamp = 1_700_000_001 });

        writer.Flush();

        Read(path).Select(m => m.ArbitrationId).Should().Equal(1u, 2u);
        writer.Write(new CanMessage(3, [3]) { Timestamp = 1_700_000_002 });
        writer.Flush();
        Read(path).Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 3u);
    }

    [Fact]
    public void Append_AddsFramesAfterTheExistingOnesWithTheirTimestamps()
    {
        var path = Path.Combine(_dir, "append.blf");
        using (var writer = new BlfWriter(path))
        {
            writer.Write(new CanMessage(1, [1]) { Timestamp = 1_700_000_000.5 });
        }

        using (var writer = new BlfWriter(path, new BlfWriterOptions { Append = true }))
        {
            writer.Write(new CanMessage(2, [2]) { Timestamp = 1_700_000_010.25 });
        }

        using var reader = new BlfReader(path);
        reader.Header.ObjectCount.Should().Be(2);
        reader.ToList().Select(m => (m.ArbitrationId, Math.Round(m.Timestamp, 6))).Should().Equal((1u, 1_700_000_000.5), (2u, 1_700_000_010.25));
    }

    [Fact]
    public void Append_ToAMissingFile_CreatesIt()
    {
        var path = Path.Combine(_dir, "new.blf");
        using (var writer = new BlfWriter(path, new BlfWriterOptions { Append = true }))
        {
            writer.Write(new CanMessage(1, [1]) { Timestamp = 1_700_000_000 });
        }

        Read(path).Should().HaveCount(1);
    }

    [Fact]
    public void Append_ToANonBlfFile_Throws()
    {
        var path = Path.Combine(_dir, "text.blf");
        File.WriteAllText(path, "this is not a BLF file, just some text that is long enough for a header .......");

        var act = () => new BlfWriter(path, new BlfWriterOptions { Append = true });

        act.Should().Throw<BlfFormatException>();
    }

    [Fact]
    public void Write_TimestampsBefore1990_AreKeptRelativeToZero()
    {
        var path = Path.Combine(_dir, "relative.blf");
        using (var writer = new BlfWriter(path))
        {
            writer.Write(new CanMessage(1, [1]) { Timestamp = 12.345678 });
            writer.Write(new CanMessage(2, [2]) { Timestamp = 100.000001 });
        }

        using var reader = new BlfReader(path);
        reader.Header.StartTimestamp.Should().Be(0);
        reader.ToList().Select(m => m.Timestamp).Should().Equal(new[] { 12.345678, 100.000001 }, (a, e) => Math.Abs(a - e) < 1e-9);
    }

    [Fact]
    public void Write_FramesOlderThanTheFirst_AreClampedToTheStart()
    {
        var path = Path.Combine(_dir, "older.blf");
        using (var writer = new BlfWriter(path))
        {
            writer.Write(new CanMessage(1, [1]) { Timestamp = 1_700_000_000.5 });
            writer.Write(new CanMessage(2, [2]) { Timestamp = 1_699_999_999.0 });
        }

        Read(path)[1].Timestamp.Should().Be(1_700_000_000.5);
    }

    [Fact]
    public void Write_ClassicFrameWithMoreThan8Bytes_ThrowsAndWritesNothing()
    {
        using var stream = new MemoryStream();
        using var writer = new BlfWriter(CanLogFile.FromStream(stream, leaveOpen: true));

        var act = () => writer.Write(new CanMessage(1, new byte[12]));

        act.Should().Throw<ArgumentException>().WithMessage("*classic*8*");
        writer.ObjectCount.Should().Be(0);
    }

    [Fact]
    public void Write_ChannelBlfCannotHold_Throws()
    {
        using var writer = new BlfWriter(new MemoryStream());

        var act = () => writer.Write(new CanMessage(1, [1]) { Channel = 70_000 });

        act.Should().Throw<ArgumentException>().WithMessage("*channel*");
    }

    [Fact]
    public void Write_AfterDispose_ThrowsObjectDisposed()
    {
        var writer = new BlfWriter(new MemoryStream());
        writer.Dispose();

        var act = () => writer.Write(new CanMessage(1, [1]));

        act.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Stop_ClosesTheFileLikeDispose()
    {
        var path = Path.Combine(_dir, "stop.blf");
        var writer = new BlfWriter(path);
        writer.OnMessageReceived(new CanMessage(1, [1]) { Timestamp = 1_700_000_000 });

        writer.Stop();

        Read(path).Should().HaveCount(1);
        File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
    }

    [Fact]
    public async Task DisposeAsync_WritesTheSameFileAsDispose()
    {
        using var syncStream = new MemoryStream();
        using var asyncStream = new MemoryStream();
        var messages = LogTestMessages.All;
        using (var writer = new BlfWriter(CanLogFile.FromStream(syncStream, leaveOpen: true), new BlfWriterOptions { TimeZone = TimeZoneInfo.Utc }))
        {
            foreach (var m in messages)
            {
                writer.Write(m);
            }
        }

        await using (var writer = new BlfWriter(CanLogFile.FromStream(asyncStream, leaveOpen: true), new BlfWriterOptions { TimeZone = TimeZoneInfo.Utc }))
        {
            foreach (var m in messages)
            {
                writer.Write(m);
            }
        }

        asyncStream.ToArray().Should().Equal(syncStream.ToArray());
    }

    [Fact]
    public void Write_ToANonSeekableStream_KeepsTimestampsButNotTheFinalStatistics()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BlfWriter(CanLogFile.FromStream(new NonSeekableStream(buffer), leaveOpen: true)))
        {
            foreach (var m in LogTestMessages.All)
            {
                writer.Write(m);
            }
        }

        using var reader = new BlfReader(new MemoryStream(buffer.ToArray()));
        reader.Header.FileSize.Should().Be(0, "the header goes out before the first container, when the size is unknown");
        BlfExpectations.ShouldMatch(reader.ToList(), LogTestMessages.All.Select(m => BlfExpectations.AfterRoundTrip(m)).ToList(), 1e-6);
    }

    [Fact]
    public void Write_AtAStreamOffset_HeaderGoesThereAndTheFileReadsBack()
    {
        using var buffer = new MemoryStream();
        buffer.Write(new byte[100]);
        using (var writer = new BlfWriter(CanLogFile.FromStream(buffer, leaveOpen: true)))
        {
            writer.Write(new CanMessage(5, [5]) { Timestamp = 1_700_000_000 });
        }

        buffer.Position = 100;
        using var reader = new BlfReader(CanLogFile.FromStream(buffer, leaveOpen: true));
        reader.Header.FileSize.Should().Be((ulong)(buffer.Length - 100));
        reader.Single().ArbitrationId.Should().Be(5);
    }

    [Fact]
    public void Write_SteadyState_AllocatesNothingPerFrame()
    {
        using var writer = new BlfWriter(CanLogFile.FromStream(Stream.Null, leaveOpen: true), new BlfWriterOptions { CompressionLevel = 1 });
        var message = new CanMessage(0x123, [1, 2, 3, 4, 5, 6, 7, 8]) { Timestamp = 1_700_000_000, Channel = 0 };
        for (var i = 0; i < 10_000; i++)
        {
            writer.Write(message);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            writer.Write(message);
        }

        // ~37 containers of 128 KiB are compressed meanwhile (a zlib stream each); nothing per frame.
        ((GC.GetAllocatedBytesForCurrentThread() - before) / 100_000.0).Should().BeLessThan(4);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(10)]
    public void Constructor_BadCompressionLevel_Throws(int level)
    {
        var act = () => new BlfWriter(new MemoryStream(), new BlfWriterOptions { CompressionLevel = level });

        act.Should().Throw<ArgumentException>().WithMessage("*CompressionLevel*");
    }
}
