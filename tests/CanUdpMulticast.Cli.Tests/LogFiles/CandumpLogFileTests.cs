using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Tests.Support;
using CsCheck;

namespace CanUdpMulticast.Cli.Tests.LogFiles;

public sealed class CandumpLogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("canudp-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CreateWriter_LogSuffix_WritesCandumpLinesWithTheFallbackChannel()
    {
        var path = Path.Combine(_dir, "w.log");
        using (var writer = LogFileFormats.CreateWriter(path, append: false, "udp0"))
        {
            writer.Write(new CanMessage(0x123, [0x11, 0x22, 0x33]) { Timestamp = 1700000000.123456, Channel = "can1" });
            writer.Write(new CanMessage(0x1, [0xAA]) { Timestamp = 1700000000.5 });
        }

        File.ReadAllText(path).Should().Be("(1700000000.123456) can1 123#112233 R\n(1700000000.500000) udp0 001#AA R\n", "candump -x style with the direction flag");
    }

    [Fact]
    public void CreateWriter_Append_KeepsWhatWasThere()
    {
        var path = Path.Combine(_dir, "a.log");
        File.WriteAllText(path, "(1.000000) can0 001#01\n");
        using (var writer = LogFileFormats.CreateWriter(path, append: true, "vcan0"))
        {
            writer.Write(new CanMessage(0x2, [0x02]) { Timestamp = 2 });
        }

        LogFileFormats.OpenReader(path).ToList().Select(f => f.ArbitrationId).Should().Equal(1u, 2u);
    }

    [Fact]
    public void WriteThenRead_OtherFormat_PicksItBySuffix()
    {
        var path = Path.Combine(_dir, "f.csv");
        using (var writer = LogFileFormats.CreateWriter(path, append: false, "vcan0"))
        {
            writer.Write(new CanMessage(0x123, [0x11]) { Timestamp = 5 });
        }

        File.ReadAllText(path).Should().StartWith("timestamp,arbitration_id");
        LogFileFormats.OpenReader(path).ToList().Should().ContainSingle().Which.ArbitrationId.Should().Be(0x123u);
    }

    [Fact]
    public void WriteThenRead_AnyFrames_RoundTripsEveryFieldAndTheOrder()
    {
        Generators.Frame.Array[0, 50].Sample(unordered =>
        {
            // Recorded frames come in time order (the writer, like python-can's, never lets time go backwards).
            var frames = unordered.OrderBy(f => f.Timestamp).ToArray();
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

    [Fact]
    public void Reader_MalformedLine_ThrowsAFormatExceptionNamingTheLine()
    {
        var path = Path.Combine(_dir, "bad.log");
        File.WriteAllText(path, "(1.0) can0 123#11\n(2.0) can0 123#XYZ\n");
        using var reader = LogFileFormats.OpenReader(path);

        var act = () => reader.ToList();

        act.Should().Throw<FormatException>().Which.Message.Should().Contain("2");
    }

    [Fact]
    public void Formats_UnknownSuffix_IsAUsageError()
    {
        var act = () => LogFileFormats.OpenReader(Path.Combine(_dir, "x.xyz"));
        act.Should().Throw<UsageException>().Which.Message.Should().Contain(".log");
        var write = () => LogFileFormats.CreateWriter(Path.Combine(_dir, "x.xyz"), append: false, "vcan0");
        write.Should().Throw<UsageException>().Which.Message.Should().Contain(".log");
    }

    [Fact]
    public void Formats_MissingFile_ThrowsFileNotFound()
    {
        var act = () => LogFileFormats.OpenReader(Path.Combine(_dir, "missing.log"));
        act.Should().Throw<FileNotFoundException>().Which.Message.Should().Contain("does not exist");
    }
}
