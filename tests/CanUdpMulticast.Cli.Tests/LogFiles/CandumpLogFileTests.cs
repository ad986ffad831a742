using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Tests.Support;
using CsCheck;

namespace CanUdpMulticast.Cli.Tests.LogFiles;

public sealed class CandumpLogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("canudp-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writer_Frame_WritesCandumpLogLine()
    {
        var text = new StringWriter();
        using (var writer = new CandumpLogWriter(text))
        {
            writer.Write(new CanMessage(0x123, [0x11, 0x22, 0x33]) { Timestamp = 1700000000.123456, Channel = "can1" });
            writer.Write(new CanMessage(0x1, [0xAA]) { Timestamp = 1700000000.5 });
        }

        text.ToString().Should().Be("(1700000000.123456) can1 123#112233\n(1700000000.500000) vcan0 001#AA\n");
    }

    [Fact]
    public void WriteThenRead_AnyFrames_RoundTripsEveryFieldAndTheOrder()
    {
        Generators.Frame.Array[0, 50].Sample(frames =>
        {
            var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.log");
            using (var writer = LogFileFormats.CreateWriter(path, append: false, "vcan0"))
            {
                foreach (var frame in frames)
                {
                    writer.Write(frame);
                }
            }

            using var reader = LogFileFormats.OpenReader(path);
            var read = reader.ToList();
            read.Should().HaveCount(frames.Length);
            for (var i = 0; i < frames.Length; i++)
            {
                read[i].IsEquivalentTo(frames[i] with { Channel = "vcan0" }, timestampDelta: 1e-6).Should().BeTrue($"frame {i}: {frames[i]} came back as {read[i]}");
            }
        }, iter: 50);
    }

    [Fact]
    public async Task Reader_Async_ReadsTheSameAsSync()
    {
        var path = Path.Combine(_dir, "a.log");
        await File.WriteAllTextAsync(path, "(1.000001) can0 123#11\n\n(2.5) can1 12345678##1AA T\n");
        await using var reader = LogFileFormats.OpenReader(path);
        var frames = new List<CanMessage>();
        await foreach (var frame in reader)
        {
            frames.Add(frame);
        }

        frames.Should().HaveCount(2);
        frames[0].Channel.Should().Be(new CanChannel("can0"));
        frames[0].Timestamp.Should().BeApproximately(1.000001, 1e-9);
        frames[1].IsFd.Should().BeTrue();
        frames[1].BitrateSwitch.Should().BeTrue();
        frames[1].IsExtendedId.Should().BeTrue();
    }

    [Theory]
    [InlineData("123#11", "must start with '(seconds.microseconds)'")]
    [InlineData("(abc) can0 123#11", "the timestamp '(abc)'")]
    [InlineData("(1.0)", "needs a device name and a frame")]
    [InlineData("(1.0) can0", "needs a device name and a frame")]
    [InlineData("(1.0) can0 12#11", "the frame the id '12'")]
    public void Reader_MalformedLine_ThrowsWithFileLineAndReason(string line, string reason)
    {
        var path = Path.Combine(_dir, "bad.log");
        File.WriteAllText(path, "(1.0) can0 123#11\n" + line + "\n");
        using var reader = LogFileFormats.OpenReader(path);

        var act = () => reader.ToList();

        act.Should().Throw<FormatException>().Which.Message.Should().StartWith($"{path}:2: ").And.Contain(reason);
    }

    [Fact]
    public void Formats_UnknownSuffix_IsAUsageError()
    {
        var act = () => LogFileFormats.OpenReader(Path.Combine(_dir, "x.blf"));
        act.Should().Throw<UsageException>().Which.Message.Should().Contain(".log");
    }

    [Fact]
    public void Formats_MissingFile_ThrowsFileNotFound()
    {
        var act = () => LogFileFormats.OpenReader(Path.Combine(_dir, "missing.log"));
        act.Should().Throw<FileNotFoundException>();
    }
}
