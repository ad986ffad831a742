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
    public void Registry_ListsBlfAsReadableAndWritable()
    {
        CanLogFormatRegistry.Default.ReadableExtensions.Should().Contain(".blf");
        CanLogFormatRegistry.Default.WritableExtensions.Should().Contain(".blf");
    }
}
