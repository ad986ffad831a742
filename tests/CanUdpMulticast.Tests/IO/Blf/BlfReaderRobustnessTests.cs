using CanUdpMulticast.IO.Blf;
using CsCheck;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>Damaged, unusual and hostile BLF input: a clear <see cref="BlfFormatException"/> with the offset, or a documented skip.</summary>
public sealed class BlfReaderRobustnessTests
{
    private static List<CanMessage> ReadAll(byte[] file, BlfReaderOptions? options = null, bool seekable = true)
    {
        using var reader = new BlfReader(seekable ? new MemoryStream(file) : new NonSeekableStream(new MemoryStream(file)), options);
        return reader.ToList();
    }

    private static async Task<List<CanMessage>> ReadAllAsync(byte[] file, bool seekable = true)
    {
        var result = new List<CanMessage>();
        await using var reader = new BlfReader(seekable ? new MemoryStream(file) : new NonSeekableStream(new MemoryStream(file)));
        await foreach (var m in reader)
        {
            result.Add(m);
        }

        return result;
    }

    [Fact]
    public void Constructor_WrongSignature_ThrowsAtOffsetZero()
    {
        var file = BlfBytes.SimpleFile(3);
        "GOLL"u8.CopyTo(file);

        var act = () => new BlfReader(new MemoryStream(file));

        act.Should().Throw<BlfFormatException>().Where(e => e.FileOffset == 0 && e.Message.Contains("LOGG"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(50)]
    public void Constructor_FileShorterThanHeader_Throws(int length)
    {
        var file = BlfBytes.SimpleFile(3)[..length];

        var act = () => new BlfReader(new MemoryStream(file));

        act.Should().Throw<BlfFormatException>();
    }

    [Theory]
    [InlineData(10u)]
    [InlineData(0x7FFF_FFFFu)]
    public void Constructor_AbsurdHeaderSize_Throws(uint headerSize)
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(headerSize), BlfBytes.Container(BlfBytes.Frame(1)));

        var act = () => new BlfReader(new MemoryStream(file));

        act.Should().Throw<BlfFormatException>().WithMessage("*header declares a size*");
    }

    [Fact]
    public void Read_LargerHeaderSize_SkipsTheRestOfTheHeader()
    {
        var header = BlfBytes.FileHeader(200);
        var file = BlfBytes.Concat(header, new byte[56], BlfBytes.Container(BlfBytes.Frame(7)));

        ReadAll(file).Select(m => m.ArbitrationId).Should().Equal(7u);
    }

    [Fact]
    public void Read_TruncatedAtEveryLength_ThrowsBlfFormatExceptionOrReadsEverything()
    {
        var file = BlfBytes.WithFileSize(BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Frame(2))), BlfBytes.Container(BlfBytes.Frame(3))));
        var last = BlfBytes.Container(BlfBytes.Frame(3));
        var paddingAtEnd = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(last.AsSpan(8)) % 4);

        for (var length = 0; length < file.Length; length++)
        {
            var cut = file[..length];
            foreach (var seekable in new[] { true, false })
            {
                List<CanMessage>? read = null;
                var act = () => read = ReadAll(cut, seekable: seekable);
                if (length >= file.Length - paddingAtEnd)
                {
                    act.Should().NotThrow();
                    read!.Should().HaveCount(3);
                }
                else
                {
                    act.Should().Throw<BlfFormatException>("a file cut at {0} of {1} bytes is truncated", length, file.Length);
                }
            }
        }
    }

    [Fact]
    public void Read_CutBetweenContainersWithoutFileSizeInHeader_ReadsTheCompleteContainers()
    {
        // Without the size in the header (a writer that did not close) nothing marks the cut.
        var first = BlfBytes.Container(BlfBytes.Frame(1));
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), first, BlfBytes.Container(BlfBytes.Frame(2)));

        ReadAll(file[..(144 + first.Length)]).Select(m => m.ArbitrationId).Should().Equal(1u);
    }

    [Fact]
    public async Task ReadAsync_Truncated_ThrowsBlfFormatException()
    {
        var file = BlfBytes.SimpleFile(20);

        var act = () => ReadAllAsync(file[..(file.Length - 10)], seekable: false);

        await act.Should().ThrowAsync<BlfFormatException>().WithMessage("*Truncated*offset 144*");
    }

    [Fact]
    public void Read_FileEndsInsideAnObjectOfTheLastContainer_ThrowsTruncated()
    {
        // The container itself is complete, but its contents stop in the middle of a frame object.
        var contents = BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Frame(2));
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(contents.AsSpan(0, contents.Length - 5)));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*ends inside an object*").Where(e => e.UncompressedOffset == 48);
    }

    [Fact]
    public void Read_UnknownObjectTypes_AreSkippedAndCounted()
    {
        var bigUnknown = BlfBytes.Object(999, new byte[100_000]);
        var contents = BlfBytes.Concat(
            BlfBytes.Frame(1),
            BlfBytes.Object(BlfBytes.GlobalMarker, new byte[37]), // odd size: the next object follows after padding
            new byte[3],
            BlfBytes.Frame(2),
            bigUnknown[..50_000]);
        var file = BlfBytes.Concat(
            BlfBytes.FileHeader(),
            BlfBytes.Object(777, new byte[20]), // a top-level object that is not a container
            BlfBytes.Container(contents),
            BlfBytes.Container(BlfBytes.Concat(bigUnknown[50_000..], BlfBytes.Frame(3))), // the unknown object straddles containers
            BlfBytes.Container(BlfBytes.Object(1, BlfBytes.CanMessageBody(1, 4, [4]), headerVersion: 3))); // unknown header version

        using var reader = new BlfReader(new MemoryStream(file));
        var frames = reader.ToList();

        frames.Select(m => m.ArbitrationId).Should().Equal(1u, 2u, 3u);
        reader.SkippedObjectCount.Should().Be(4);
    }

    [Fact]
    public void Read_ObjectsSplitAcrossContainersAtEveryOffset_AreReassembled()
    {
        var contents = BlfBytes.Concat(Enumerable.Range(1, 5).Select(i => BlfBytes.Frame((uint)i)).ToArray());
        for (var split = 1; split < contents.Length; split++)
        {
            var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(contents.AsSpan(0, split)), BlfBytes.Container(contents.AsSpan(split), compress: false));

            ReadAll(file).Select(m => m.ArbitrationId).Should().Equal([1u, 2u, 3u, 4u, 5u], "split at {0}", split);
        }
    }

    [Fact]
    public void Read_CorruptZlibStream_ThrowsWithTheContainerOffset()
    {
        var file = BlfBytes.SimpleFile(200);
        for (var i = 144 + 32 + 10; i < 144 + 32 + 40; i++)
        {
            file[i] ^= 0x5A;
        }

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().Where(e => e.FileOffset == 144);
    }

    [Fact]
    public void Read_CorruptZlibStream_NeverThrowsAnythingElse()
    {
        var original = BlfBytes.SimpleFile(50);
        Gen.Select(Gen.Int[144 + 32, original.Length - 1], Gen.Byte[1, 255]).Sample((position, xor) =>
        {
            var file = (byte[])original.Clone();
            file[position] ^= xor;
            try
            {
                ReadAll(file);
            }
            catch (BlfFormatException)
            {
            }
        }, iter: 300);
    }

    [Fact]
    public void Read_ZlibStreamShorterThanDeclared_Throws()
    {
        var contents = BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Frame(2));
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(contents, declaredUncompressed: (uint)contents.Length + 100));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*decompresses to 96 bytes, but declares 196*");
    }

    [Fact]
    public void Read_ZlibStreamLongerThanDeclared_Throws()
    {
        var contents = BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Frame(2));
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(contents, declaredUncompressed: 50));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*more than the 50 bytes it declares*");
    }

    [Fact]
    public void Read_UnknownCompressionMethod_Throws()
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Frame(1), method: 7));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*compression method 7*").Where(e => e.FileOffset == 144);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_AbsurdContainerSize_ThrowsWithoutAllocatingIt(bool seekable)
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Frame(1), declaredSize: 0xFFFF_FFF0));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var act = () => ReadAll(file, seekable: seekable);

        act.Should().Throw<BlfFormatException>().Where(e => e.FileOffset == 144);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000);
    }

    [Fact]
    public void Read_AbsurdDeclaredUncompressedSize_ThrowsWithoutAllocatingIt()
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Frame(1), declaredUncompressed: 0xFFFF_FFF0));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*declares 4294967280 uncompressed bytes*");
    }

    [Fact]
    public void Read_ContainerLargerThanTheConfiguredMaximum_Throws()
    {
        var file = BlfBytes.SimpleFile(100, compress: false);

        var act = () => ReadAll(file, new BlfReaderOptions { MaxContainerSize = 1024 });

        act.Should().Throw<BlfFormatException>().WithMessage("*MaxContainerSize*");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    public void Read_InnerObjectSmallerThanItsHeader_ThrowsInsteadOfLooping(uint declaredSize)
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Object(999, new byte[8], declaredSize: declaredSize))));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*less than its own 16-byte header*").Where(e => e.UncompressedOffset == 48);
    }

    [Fact]
    public void Read_FrameObjectWithAbsurdSize_Throws()
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Object(BlfBytes.CanMessage, BlfBytes.CanMessageBody(1, 1, [1]), declaredSize: 0x7FFF_0000)));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*more than the 4096*");
    }

    [Fact]
    public void Read_FrameObjectTooSmallForItsBody_Throws()
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Object(BlfBytes.CanMessage, new byte[8])));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*too small*");
    }

    [Fact]
    public void Read_UnknownObjectWithAbsurdSize_SkipsToTheEndThenReportsTruncation()
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Object(999, new byte[8], declaredSize: 0xFFFF_FF00))));

        var read = new List<CanMessage>();
        var act = () =>
        {
            using var reader = new BlfReader(new MemoryStream(file));
            foreach (var m in reader)
            {
                read.Add(m);
            }
        };

        act.Should().Throw<BlfFormatException>().WithMessage("*truncated*");
        read.Select(m => m.ArbitrationId).Should().Equal(1u);
    }

    [Fact]
    public void Read_GarbageWhereAnObjectShouldStart_ThrowsWithTheUncompressedOffset()
    {
        var file = BlfBytes.Concat(BlfBytes.FileHeader(), BlfBytes.Container(BlfBytes.Concat(BlfBytes.Frame(1), "GARBAGE-GARBAGE-GARBAGE"u8.ToArray())));

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().WithMessage("*uncompressed offset 48*LOBJ*");
    }

    [Fact]
    public void Read_GarbageAtTopLevel_ThrowsWithTheFileOffset()
    {
        var file = BlfBytes.Concat(BlfBytes.SimpleFile(2), "NOT AN OBJECT..."u8.ToArray());

        var act = () => ReadAll(file);

        act.Should().Throw<BlfFormatException>().Where(e => e.FileOffset == BlfBytes.SimpleFile(2).Length);
    }

    [Fact]
    public void Read_RandomlyDamagedUncompressedFile_OnlyEverThrowsBlfFormatException()
    {
        var original = BlfBytes.Concat(
            BlfBytes.FileHeader(),
            BlfBytes.Container(BlfBytes.Concat(BlfBytes.Frame(1), BlfBytes.Object(999, new byte[30]), BlfBytes.Frame(2)), compress: false),
            BlfBytes.Container(BlfBytes.Concat(Enumerable.Range(3, 6).Select(i => BlfBytes.Frame((uint)i)).ToArray()), compress: false));
        Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte, Gen.Int[1, 4]).Sample((position, value, count) =>
        {
            var file = (byte[])original.Clone();
            for (var i = position; i < Math.Min(file.Length, position + count); i++)
            {
                file[i] = value;
            }

            try
            {
                ReadAll(file);
            }
            catch (BlfFormatException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Read_HeaderVersion2AndTenMicrosecondTimestamps_AreDecoded()
    {
        var file = BlfBytes.Concat(
            BlfBytes.FileHeader(),
            BlfBytes.Container(BlfBytes.Concat(
                BlfBytes.Object(BlfBytes.CanMessage, BlfBytes.CanMessageBody(1, 5, [5]), timestamp: 150_000, headerVersion: 2, timeFlags: 1),
                BlfBytes.Object(BlfBytes.CanMessage2, BlfBytes.CanMessageBody(2, 0x8000_0006, [6, 6], flags: 0x81, message2: true), timestamp: 2_000_000_000))));

        var frames = ReadAll(file);

        frames.Should().HaveCount(2);
        frames[0].Timestamp.Should().BeApproximately(1.5, 1e-12);
        frames[0].ArbitrationId.Should().Be(5);
        frames[1].Should().Match<CanMessage>(m => m.ArbitrationId == 6 && m.IsExtendedId && m.IsRemoteFrame && !m.IsRx && m.Dlc == 2 && m.DataLength == 0 && m.Channel == new CanChannel(1));
        frames[1].Timestamp.Should().BeApproximately(2.0, 1e-12);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsAndClosesTheStreamItOwns()
    {
        var stream = new MemoryStream(BlfBytes.SimpleFile(1));

        var act = () => new BlfReader(stream, new BlfReaderOptions { MaxContainerSize = 10 });

        act.Should().Throw<ArgumentException>().WithMessage("*MaxContainerSize*");
        stream.CanRead.Should().BeFalse("the reader owned the stream and disposed it");
    }

    [Fact]
    public void GetEnumerator_Twice_Throws()
    {
        using var reader = new BlfReader(new MemoryStream(BlfBytes.SimpleFile(2)));
        _ = reader.ToList();

        var act = () => reader.GetEnumerator();

        act.Should().Throw<InvalidOperationException>();
    }
}
