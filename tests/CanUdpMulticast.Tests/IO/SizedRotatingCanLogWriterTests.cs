using CanUdpMulticast.IO;
using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Tests.IO;

public sealed class SizedRotatingCanLogWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("trace.log")]
    [InlineData("trace.asc")]
    [InlineData("trace.csv")]
    [InlineData("trace.trc")]
    [InlineData("trace.log.gz")]
    public void Write_PastMaxBytes_RotatesWithPythonCanNamesAndKeepsEveryFrame(string name)
    {
        var frames = Enumerable.Range(0, 300).Select(i => new CanMessage((uint)i, [1, 2, 3, 4, 5, 6, 7, 8]) { Timestamp = 1700000000 + (i * 0.001) }).ToList();
        var basePath = _directory.File(name);
        int rollovers;
        using (var writer = new SizedRotatingCanLogWriter(basePath, 4000, new CanLogWriterOptions { TimeProvider = _clock }))
        {
            foreach (var frame in frames)
            {
                writer.Write(frame);
                writer.CurrentSize.Should().BeLessThan(4000 + 1024, "a file ends with the frame that took it past the limit");
            }

            rollovers = writer.RolloverCount;
        }

        rollovers.Should().BeGreaterThan(1);
        var local = _clock.GetLocalNow().ToString("yyyy-MM-dd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var suffixes = name[name.IndexOf('.', StringComparison.Ordinal)..];
        var rotated = Enumerable.Range(0, rollovers).Select(i => _directory.File($"trace_{local}_#{i:000}{suffixes}")).ToList();
        rotated.Should().OnlyContain(p => File.Exists(p));
        Directory.GetFiles(_directory.Path).Should().HaveCount(rollovers + 1);

        var read = rotated.Append(basePath).SelectMany(ReadAll).ToList();
        read.Select(f => f.ArbitrationId).Should().Equal(frames.Select(f => f.ArbitrationId));
        if (!name.EndsWith(".gz", StringComparison.Ordinal))
        {
            rotated.Should().OnlyContain(p => new FileInfo(p).Length >= 4000);
        }
    }

    [Fact]
    public void Write_ZeroMaxBytes_NeverRotates()
    {
        using (var writer = new SizedRotatingCanLogWriter(_directory.File("a.log"), 0))
        {
            for (var i = 0; i < 1000; i++)
            {
                writer.Write(new CanMessage(1, [1]) { Timestamp = i });
            }

            writer.RolloverCount.Should().Be(0);
        }

        Directory.GetFiles(_directory.Path).Should().ContainSingle();
    }

    [Fact]
    public void NamerAndRotator_AreCalled()
    {
        List<(string From, string To)> moves = [];
        using (var writer = new SizedRotatingCanLogWriter(_directory.File("a.csv"), 100) { RolloverCount = 23 })
        {
            writer.Namer = name => name + ".old";
            writer.Rotator = (from, to) =>
            {
                moves.Add((from, to));
                File.Move(from, to);
            };
            for (var i = 0; i < 10; i++)
            {
                writer.Write(new CanMessage(1, [1, 2, 3, 4]) { Timestamp = i });
            }
        }

        moves.Should().NotBeEmpty();
        moves[0].From.Should().Be(_directory.File("a.csv"));
        moves[0].To.Should().MatchRegex(@"a_\d{4}-\d\d-\d\dT\d{6}_#023\.csv\.old$");
    }

    [Fact]
    public void Create_FileBasedFormat_NotSupported()
    {
        var registry = new CanLogFormatRegistry();
        registry.Register(CanLogFormat.ForFiles("database", [".db"], null, (path, options) => CanLogWriter.Create(path + ".log", options)));

        var act = () => new SizedRotatingCanLogWriter(_directory.File("a.db"), 100, registry: registry);

        act.Should().Throw<NotSupportedException>().WithMessage("*cannot rotate database*");
    }

    private static List<CanMessage> ReadAll(string path)
    {
        using var reader = CanLogReader.Open(path);
        return [.. reader];
    }
}
