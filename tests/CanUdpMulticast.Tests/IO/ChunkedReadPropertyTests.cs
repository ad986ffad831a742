using CanUdpMulticast.IO;
using CsCheck;

namespace CanUdpMulticast.Tests.IO;

/// <summary>
/// Every stream log reader gives the same frames however its input arrives: whole, in two chunks split at an
/// arbitrary byte, or one byte per read, synchronously and asynchronously (a pipe, a socket or a gzip stream hands
/// out short reads; a reader that assumed full reads would lose or garble a frame at a buffer boundary).
/// </summary>
public sealed class ChunkedReadPropertyTests
{
    private static readonly Gen<List<CanMessage>> AnyFrames = CanMessageGen.Valid.InTimeOrder(0, 30);

    public static TheoryData<string> StreamFormats() => [".blf", ".asc", ".trc", ".csv", ".log"];

    [Theory]
    [MemberData(nameof(StreamFormats))]
    public void Read_InputInTwoArbitraryChunks_GivesTheSameFrames(string format)
    {
        Gen.Select(FramesFor(format), Gen.Int[0, int.MaxValue], Gen.Bool).Sample((frames, splitSeed, useAsync) =>
        {
            var bytes = Write(format, frames);
            var split = splitSeed % (bytes.Length + 1);
            var expected = Read(format, new MemoryStream(bytes), useAsync: false);

            Read(format, new ShortReadStream(bytes, split, maxRead: int.MaxValue), useAsync)
                .Should().Equal(expected, $"{format}, {bytes.Length} bytes split at {split}, async={useAsync}");
        }, iter: 60);
    }

    [Theory]
    [MemberData(nameof(StreamFormats))]
    public void Read_InputOneBytePerRead_GivesTheSameFrames(string format)
    {
        Gen.Select(FramesFor(format), Gen.Bool).Sample((frames, useAsync) =>
        {
            var bytes = Write(format, frames);
            var expected = Read(format, new MemoryStream(bytes), useAsync: false);

            Read(format, new ShortReadStream(bytes, split: 0, maxRead: 1), useAsync)
                .Should().Equal(expected, $"{format}, {bytes.Length} bytes one at a time, async={useAsync}");
        }, iter: 12);
    }

    [Fact]
    public void ShortReadStream_HandsOutTheBytesInTheDeclaredPieces()
    {
        var stream = new ShortReadStream([1, 2, 3, 4, 5], split: 2, maxRead: int.MaxValue);
        var buffer = new byte[10];

        stream.Read(buffer).Should().Be(2);
        stream.Read(buffer).Should().Be(3);
        stream.Read(buffer).Should().Be(0);
    }

    // BLF stores a channel only as a small number (a name's trailing digits + 1, at most 255 or 65535 by object type)
    // and its writer rejects other frames, so BLF gets frames it can store; the text formats take any valid frame.
    private static Gen<List<CanMessage>> FramesFor(string format) => format == ".blf" ? Blf.LogFrameGenerators.Frames : AnyFrames;

    private static byte[] Write(string format, List<CanMessage> frames)
    {
        var stream = new MemoryStream();
        using (var writer = CanLogWriter.Create(stream, format, new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc }, leaveOpen: true))
        {
            foreach (var frame in frames)
            {
                writer.Write(frame);
            }
        }

        return stream.ToArray();
    }

    private static List<CanMessage> Read(string format, Stream stream, bool useAsync)
    {
        using var reader = CanLogReader.Open(stream, format, new CanLogReaderOptions { TimeZone = TimeZoneInfo.Utc });
        return useAsync ? ReadAsync(reader).AsTask().GetAwaiter().GetResult() : [.. reader];

        static async ValueTask<List<CanMessage>> ReadAsync(ICanLogReader reader)
        {
            var list = new List<CanMessage>();
            await foreach (var frame in reader)
            {
                list.Add(frame);
            }

            return list;
        }
    }

    /// <summary>A read-only, non-seekable stream that returns at most <c>split</c> bytes first, then at most <c>maxRead</c> per read.</summary>
    private sealed class ShortReadStream(byte[] bytes, int split, int maxRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var limit = _position < split ? split - _position : maxRead;
            var count = Math.Min(Math.Min(buffer.Length, limit), bytes.Length - _position);
            bytes.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // Yield so the reader's asynchronous path really continues later, as on a socket.
            await Task.Yield();
            return Read(buffer.Span);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
