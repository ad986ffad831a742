using System.IO.Compression;
using System.Text;
using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Asc;
using CanUdpMulticast.IO.Canutils;
using CanUdpMulticast.IO.Trc;

namespace CanUdpMulticast.Tests.IO;

public sealed class CanLogFileTests
{
    private static readonly CanMessage Frame = new(0x123, [1, 2]) { Timestamp = 1700000000.5, Channel = 0 };

    [Fact]
    public void ReaderAndWriter_GzipPath_CompressAndDecompress()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.log.gz");
        using (var writer = new CanutilsWriter(path))
        {
            writer.Write(Frame);
        }

        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var text = new StreamReader(gzip, Encoding.ASCII))
        {
            text.ReadToEnd().Should().StartWith("(1700000000.500000) can0 123#0102");
        }

        using var reader = new CanutilsReader(path);
        reader.Single().ArbitrationId.Should().Be(0x123);
    }

    [Fact]
    public void Writer_StreamLeftOpen_StreamUsableAfterDispose()
    {
        var stream = new MemoryStream();
        using (var writer = new CanutilsWriter(CanLogFile.FromStream(stream, leaveOpen: true)))
        {
            writer.Write(Frame);
        }

        stream.Position = 0;
        using (var reader = new CanutilsReader(stream))
        {
            reader.Single().Data.ToArray().Should().Equal(1, 2);
        }

        stream.CanRead.Should().BeFalse("a stream passed as is belongs to the reader, which closed it");
    }

    [Fact]
    public void Reader_StreamWithName_NameInError()
    {
        var stream = LogText.Stream("not a frame\n");
        using var reader = new CanutilsReader(CanLogFile.FromStream(stream, name: "bus-a.log"));

        var act = () => reader.ToList();

        act.Should().Throw<CanLogFormatException>().WithMessage("*bus-a.log*");
    }

    [Fact]
    public void AscWriter_DefaultChannelNotANumber_ThrowsBeforeCreatingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.asc");

        var act = () => new AscWriter(path, new CanLogWriterOptions { DefaultChannel = "vcan" });

        act.Should().Throw<ArgumentException>();
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void TrcWriter_Append_ThrowsBeforeCreatingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.trc");

        var act = () => new TrcWriter(path, new CanLogWriterOptions { Append = true });

        act.Should().Throw<NotSupportedException>();
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void FromPath_Empty_Throws()
    {
        var act = () => CanLogFile.FromPath("");

        act.Should().Throw<ArgumentException>();
    }
}
