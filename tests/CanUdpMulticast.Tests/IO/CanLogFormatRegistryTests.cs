using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Asc;
using CanUdpMulticast.IO.Canutils;
using CanUdpMulticast.IO.Csv;
using CanUdpMulticast.IO.Trc;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.IO;

public sealed class CanLogFormatRegistryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("a.log", typeof(CanutilsWriter), typeof(CanutilsReader))]
    [InlineData("a.LOG", typeof(CanutilsWriter), typeof(CanutilsReader))]
    [InlineData("a.asc", typeof(AscWriter), typeof(AscReader))]
    [InlineData("a.csv", typeof(CsvWriter), typeof(CsvReader))]
    [InlineData("a.trc", typeof(TrcWriter), typeof(TrcReader))]
    [InlineData("a.log.gz", typeof(CanutilsWriter), typeof(CanutilsReader))]
    [InlineData("a.asc.gz", typeof(AscWriter), typeof(AscReader))]
    [InlineData("a.csv.gz", typeof(CsvWriter), typeof(CsvReader))]
    [InlineData("a.trc.GZ", typeof(TrcWriter), typeof(TrcReader))]
    public void CreateThenOpen_BySuffix_RoundTripsThroughTheFormat(string name, Type writerType, Type readerType)
    {
        var path = _directory.File(name);
        var frame = new CanMessage(0x123, [1, 2, 3]) { Timestamp = 1700000000.25 };
        using (var writer = CanLogWriter.Create(path))
        {
            writer.Should().BeOfType(writerType);
            writer.Write(frame);
        }

        using var reader = CanLogReader.Open(path);

        reader.Should().BeOfType(readerType);
        reader.Single().IsEquivalentTo(frame, 1e-6, checkChannel: false).Should().BeTrue();
    }

    [Fact]
    public void Create_GzipSuffix_WritesGzip()
    {
        var path = _directory.File("a.log.gz");
        using (var writer = CanLogWriter.Create(path))
        {
            writer.Write(new CanMessage(1, []) { Timestamp = 1 });
        }

        File.ReadAllBytes(path)[..2].Should().Equal(new byte[] { 0x1F, 0x8B });
    }

    [Fact]
    public void Create_Txt_IsThePrinter()
    {
        using var writer = CanLogWriter.Create(_directory.File("a.txt"));

        writer.Should().BeOfType<Printer>();
    }

    [Theory]
    [InlineData("a.blf.gz")]
    [InlineData("a.db.gz")]
    public void OpenOrCreate_BinaryFormatInGzip_ClearError(string name)
    {
        var open = () => CanLogReader.Open(_directory.File(name));
        var create = () => CanLogWriter.Create(_directory.File(name));

        open.Should().Throw<ArgumentException>().WithMessage("*incompatible with gzip*");
        create.Should().Throw<ArgumentException>().WithMessage("*incompatible with gzip*");
    }

    [Theory]
    [InlineData("a.xyz")]
    [InlineData("noextension")]
    [InlineData("a.gz")]
    public void OpenOrCreate_UnknownSuffix_ErrorListsTheKnownOnes(string name)
    {
        var open = () => CanLogReader.Open(_directory.File(name));
        var create = () => CanLogWriter.Create(_directory.File(name));

        open.Should().Throw<ArgumentException>().WithMessage("*No read support*.asc, .blf, .csv, .log, .trc*");
        create.Should().Throw<ArgumentException>().WithMessage("*No write support*.asc, .blf, .csv, .log, .trc, .txt*");
    }

    [Fact]
    public void Open_WriteOnlyFormat_ErrorListsTheReadableOnes()
    {
        var open = () => CanLogReader.Open(_directory.File("a.txt"));

        open.Should().Throw<ArgumentException>().WithMessage("*No read support for the log format \".txt\"*");
    }

    [Fact]
    public void Register_NewFormat_UsedBySuffixAndListed()
    {
        var registry = new CanLogFormatRegistry();
        registry.Register(CanLogFormat.ForStreams(
            "upper-case candump",
            ["CLOG"],
            (stream, leaveOpen, name, options) => new CanutilsReader(CanLogFile.FromStream(stream, leaveOpen: leaveOpen, name: name), options),
            (stream, leaveOpen, options) => new CanutilsWriter(CanLogFile.FromStream(stream, leaveOpen: leaveOpen), options)));
        var path = _directory.File("a.clog");

        using (var writer = registry.CreateWriter(path))
        {
            writer.Write(new CanMessage(7, []) { Timestamp = 1 });
        }

        using var reader = registry.OpenReader(path);
        reader.Single().ArbitrationId.Should().Be(7);
        registry.ReadableExtensions.Should().Contain(".clog");
        registry.Find(".CLOG")!.Name.Should().Be("upper-case candump");
        CanLogFormatRegistry.Default.Find(".clog").Should().BeNull("a registry of its own leaves the default one alone");
    }

    [Fact]
    public void Register_ExistingSuffix_TakesItOver()
    {
        var registry = new CanLogFormatRegistry();
        var replacement = CanLogFormat.ForStreams("mine", [".asc"], null, (s, l, o) => new CsvWriter(CanLogFile.FromStream(s, leaveOpen: l), o));

        registry.Register(replacement);

        registry.Find(".asc").Should().BeSameAs(replacement);
        registry.Unregister(".asc").Should().BeTrue();
        registry.Find(".asc").Should().BeNull();
    }

    [Fact]
    public void Register_FileBasedFormat_GetsThePathAndRefusesGzip()
    {
        var registry = new CanLogFormatRegistry(includeBuiltIns: false);
        string? opened = null;
        registry.Register(CanLogFormat.ForFiles("database", [".db"], (path, options) =>
        {
            opened = path;
            return new CanutilsReader(new MemoryStream());
        }, null));

        using (registry.OpenReader(_directory.File("x.db")))
        {
        }

        opened.Should().Be(_directory.File("x.db"));
        var gz = () => registry.OpenReader(_directory.File("x.db.gz"));
        gz.Should().Throw<ArgumentException>().WithMessage("*incompatible with gzip*");
        registry.Find(".db")!.IsStreamBased.Should().BeFalse();
    }

    [Fact]
    public void ForStreams_NoReaderNorWriter_Throws()
    {
        var act = () => CanLogFormat.ForStreams("nothing", [".x"], null, null);
        var gz = () => CanLogFormat.ForStreams("gz", [".gz"], null, (s, l, o) => new CsvWriter(CanLogFile.FromStream(s, leaveOpen: l), o));

        act.Should().Throw<ArgumentException>();
        gz.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void OpenAndCreate_OnStreams_ByExtension()
    {
        var stream = new MemoryStream();
        using (var writer = CanLogWriter.Create(stream, ".csv", leaveOpen: true))
        {
            writer.Write(new CanMessage(5, [9]) { Timestamp = 2 });
        }

        stream.Position = 0;
        using var reader = CanLogReader.Open(stream, "csv");

        reader.Single().Should().Be(new CanMessage(5, [9]) { Timestamp = 2 });
    }
}
