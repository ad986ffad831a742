using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Blf;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>BLF reached through the extension factory, as `canudp log x.blf` and `convert` use it.</summary>
public sealed class BlfFactoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("blf-factory-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CreateAndOpen_BlfSuffix_RoundTripsThroughBlfWriterAndReader()
    {
        var path = Path.Combine(_directory, "trace.blf");
        CanMessage[] frames =
        [
            new CanMessage(0x123, [1, 2, 3]) { Timestamp = 1_700_000_000.25, Channel = 1 },
            new CanMessage(0x1ABCDEF, new byte[64], isExtendedId: true) { Timestamp = 1_700_000_000.5, IsFd = true, BitrateSwitch = true, Channel = 1 },
        ];

        using (var writer = CanLogWriter.Create(path))
        {
            writer.Should().BeOfType<BlfWriter>();
            foreach (var frame in frames)
            {
                writer.Write(frame);
            }
        }

        using var reader = CanLogReader.Open(path);
        reader.Should().BeOfType<BlfReader>();
        var read = reader.ToList();
        read.Should().HaveCount(2);
        for (var i = 0; i < frames.Length; i++)
        {
            read[i].IsEquivalentTo(frames[i], timestampDelta: 1e-5, checkChannel: false).Should().BeTrue($"{read[i]} vs {frames[i]}");
        }
    }

    [Fact]
    public void Open_BlfWithReaderTimeZone_PassesItToTheReader()
    {
        // The header keeps local wall-clock time: read in a zone 5 h ahead of the writer's, every time is 5 h earlier.
        var path = WriteOneFrame(new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc });
        var plusFive = TimeZoneInfo.CreateCustomTimeZone("plus5", TimeSpan.FromHours(5), "plus5", "plus5");

        using var utc = (BlfReader)CanLogReader.Open(path, new CanLogReaderOptions { TimeZone = TimeZoneInfo.Utc });
        using var shifted = (BlfReader)CanLogReader.Open(path, new CanLogReaderOptions { TimeZone = plusFive });

        utc.Single().Timestamp.Should().BeApproximately(1_700_000_000.25, 1e-5);
        shifted.Single().Timestamp.Should().BeApproximately(1_700_000_000.25 - (5 * 3600), 1e-5);
    }

    [Fact]
    public void Open_BlfWithFormatOptions_PassesThemToTheReader()
    {
        var path = Path.Combine(_directory, "hundred.blf");
        using (var writer = CanLogWriter.Create(path))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Write(new CanMessage(0x100, [1, 2, 3, 4, 5, 6, 7, 8]) { Timestamp = 1_700_000_000 + i });
            }
        }

        using (var unlimited = CanLogReader.Open(path))
        {
            unlimited.Should().HaveCount(100);
        }

        // A container limit below the file's container size (about 5 KiB uncompressed) turns the container into a format error: the option arrived.
        using var reader = CanLogReader.Open(path, new CanLogReaderOptions { TimeZone = TimeZoneInfo.Utc, FormatOptions = new BlfReaderOptions { MaxContainerSize = 1024 } });
        var act = () => reader.ToList();

        act.Should().Throw<BlfFormatException>();
    }

    [Fact]
    public void Create_BlfWithWriterTimeZone_PassesItToTheWriter()
    {
        var plusFive = TimeZoneInfo.CreateCustomTimeZone("plus5", TimeSpan.FromHours(5), "plus5", "plus5");
        var path = WriteOneFrame(new CanLogWriterOptions { TimeZone = plusFive });

        using var reader = new BlfReader(path, new BlfReaderOptions { TimeZone = TimeZoneInfo.Utc });

        reader.Single().Timestamp.Should().BeApproximately(1_700_000_000.25 + (5 * 3600), 1e-5, "the header was written in the writer's zone");
    }

    [Fact]
    public void Create_BlfWithFormatOptions_PassesThemToTheWriter()
    {
        // Level 0 stores containers uncompressed: each frame's data pattern appears in the file as is.
        var pattern = new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0x12, 0x34, 0x56, 0x78 };
        var stored = Path.Combine(_directory, "stored.blf");
        var compressed = Path.Combine(_directory, "compressed.blf");
        foreach (var (file, options) in new[]
        {
            (stored, new CanLogWriterOptions { FormatOptions = new BlfWriterOptions { CompressionLevel = 0 } }),
            (compressed, new CanLogWriterOptions()),
        })
        {
            using var writer = CanLogWriter.Create(file, options);
            for (var i = 0; i < 100; i++)
            {
                writer.Write(new CanMessage(0x100, pattern) { Timestamp = 1_700_000_000 + i });
            }
        }

        Occurrences(File.ReadAllBytes(stored), pattern).Should().Be(100);
        Occurrences(File.ReadAllBytes(compressed), pattern).Should().BeLessThan(100);
    }

    [Fact]
    public void Create_BlfWithDefaultChannel_PassesItToTheWriter()
    {
        var path = Path.Combine(_directory, "channel.blf");
        using (var writer = CanLogWriter.Create(path, new CanLogWriterOptions { DefaultChannel = 4 }))
        {
            writer.Write(new CanMessage(0x1, [1]) { Timestamp = 1_700_000_000 });
        }

        // BLF channel 4 reads back as channel 3 (BLF counts from 1).
        using var reader = CanLogReader.Open(path);
        reader.Single().Channel.Should().Be(new CanChannel(3));
    }

    [Fact]
    public void Registry_ListsBlfAsReadableAndWritable()
    {
        CanLogFormatRegistry.Default.ReadableExtensions.Should().Contain(".blf");
        CanLogFormatRegistry.Default.WritableExtensions.Should().Contain(".blf");
    }

    private string WriteOneFrame(CanLogWriterOptions options)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".blf");
        using var writer = CanLogWriter.Create(path, options);
        writer.Write(new CanMessage(0x123, [1, 2, 3]) { Timestamp = 1_700_000_000.25 });
        return path;
    }

    private static int Occurrences(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var i = haystack.AsSpan().IndexOf(needle); i >= 0; i = haystack.AsSpan(i + 1).IndexOf(needle) is var next and >= 0 ? i + 1 + next : -1)
        {
            count++;
        }

        return count;
    }
}
