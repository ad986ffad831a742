using System.Diagnostics;
using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary><c>gen --count 1000</c> -> <c>log</c> -> <c>replay</c> -> <c>dump</c>: every frame arrives, in order, unchanged.</summary>
public sealed class GenLogReplayPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("canudp-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GenLogReplayDump_1000Frames_KeepsAllFramesAndOrder()
    {
        var path = Path.Combine(_dir, "capture.log");
        var recordChannel = Canudp.UniqueChannel("rec");
        var playChannel = Canudp.UniqueChannel("play");

        // Record what gen sends.
        using var log = new Canudp();
        var logging = log.StartAsync(["log", path, "-i", "virtual", "-c", recordChannel, "-n", "1000", "--timeout", "20"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(recordChannel);
        var gen = await Canudp.RunAsync("gen", "-i", "virtual", "-c", recordChannel, "--count", "1000", "--gap", "0", "--id", "i", "--data", "i", "--length", "8", "--seed", "1");
        var logged = await logging;
        gen.ExitCode.Should().Be(ExitCodes.Ok, gen.ToString());
        gen.Error.Should().Contain("gen: 1,000 frames sent");
        logged.ExitCode.Should().Be(ExitCodes.Ok, logged.ToString());
        logged.Error.Should().Contain("1,000 frames of 1000 written");

        var recorded = LogFileFormats.OpenReader(path).ToList();
        recorded.Should().HaveCount(1000);
        recorded.Select(f => f.ArbitrationId).Should().Equal(Enumerable.Range(0, 1000).Select(i => (uint)i), "gen --id i counts up");

        // Replay it (honouring timestamps) onto another channel and dump it there.
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", playChannel, "-n", "1000", "-L", "--timeout", "20"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(playChannel);
        var replay = await Canudp.RunAsync("replay", path, "-i", "virtual", "-c", playChannel);
        var dumped = await dumping;

        replay.ExitCode.Should().Be(ExitCodes.Ok, replay.ToString());
        replay.Error.Should().Contain("replay: 1,000 frames sent");
        dumped.ExitCode.Should().Be(ExitCodes.Ok, dumped.ToString());
        var frames = dumped.OutLines.Select(l => l.Split(' ')[2]).ToList();
        frames.Should().Equal(recorded.Select(f => IO.CanFrameText.Format(f)), "replay keeps every frame and the order");
    }

    [Fact]
    public async Task Replay_HonoursRecordedTimingAndLoops()
    {
        var path = Path.Combine(_dir, "timed.log");
        await File.WriteAllTextAsync(path, "(100.000000) can0 001#01\n(100.300000) can0 002#02\n(100.600000) can0 003#03\n");
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "6", "-L", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        var watch = Stopwatch.StartNew();
        var replay = await Canudp.RunAsync("replay", path, "-i", "virtual", "-c", channel, "--loop", "2");
        watch.Stop();
        var dumped = await dumping;

        replay.ExitCode.Should().Be(ExitCodes.Ok, replay.ToString());
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.1), "two passes of 0.6 s of recording");
        dumped.OutLines.Select(l => l.Split(' ')[2]).Should().Equal("001#01", "002#02", "003#03", "001#01", "002#02", "003#03");
    }

    [Fact]
    public async Task Replay_ErrorFrames_AreSkippedUnlessAsked()
    {
        var path = Path.Combine(_dir, "errors.log");
        await File.WriteAllTextAsync(path, "(1.0) can0 001#01\n(1.0) can0 20000080#0000000000000000\n(1.0) can0 002#02\n");
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "5", "-L", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        var skipping = await Canudp.RunAsync("replay", path, "-i", "virtual", "-c", channel, "--ignore-timestamps");
        var sending = await Canudp.RunAsync("replay", path, "-i", "virtual", "-c", channel, "--ignore-timestamps", "--error-frames");
        var dumped = await dumping;

        skipping.Error.Should().Contain("1 error frames skipped");
        dumped.OutLines.Select(l => l.Split(' ')[2]).Should().Equal("001#01", "002#02", "001#01", "20000080#0000000000000000", "002#02");
    }
}
