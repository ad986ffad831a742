using System.Diagnostics;
using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>
/// Files written by <c>canudp log</c> are read by can-utils' own tools (a real external format check). Skipped only
/// where can-utils is not installed (.ci/run installs it).
/// </summary>
public sealed class CanUtilsCompatibilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("canudp-canutils-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task Log2Asc_ReadsACanudpLogFileWithoutError()
    {
        Skip.IfNot(File.Exists("/usr/bin/log2asc"), "can-utils (log2asc) is not installed");
        var path = Path.Combine(_dir, "capture.log");
        var channel = Canudp.UniqueChannel();
        using var log = new Canudp();
        var logging = log.StartAsync(["log", path, "-i", "virtual", "-c", channel, "--name", "vcan0", "-n", "7", "--timeout", "10"], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);
        var send = await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "123#112233", "12345678#00", "123#R4", "7FF#", "123##1001122334455667788", "1ABCDEF0##0AABB", "20000080#0000000000000000");
        send.ExitCode.Should().Be(ExitCodes.Ok, send.ToString());
        (await logging).ExitCode.Should().Be(ExitCodes.Ok);

        // The channel name is the virtual channel; tell log2asc to map it to ASC channel 1.
        var asc = Path.Combine(_dir, "capture.asc");
        var (exit, stdout, stderr) = Run("/usr/bin/log2asc", "-I", path, "-O", asc, channel);

        exit.Should().Be(0, $"log2asc failed: {stdout} {stderr}");
        var lines = await File.ReadAllLinesAsync(asc);
        lines.Should().Contain(l => l.Contains("1  123             Rx   d 3 11 22 33", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("1  12345678x       Rx   d 1 00", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("1  123             Rx   r 4", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("CANFD   1 Rx        123", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("1  ErrorFrame", StringComparison.Ordinal));
        lines.Count(l => l.Contains(" Rx ", StringComparison.Ordinal) || l.Contains("ErrorFrame", StringComparison.Ordinal)).Should().Be(7, "every logged frame is converted");
    }

    private static (int Exit, string Out, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(10_000).Should().BeTrue();
        return (process.ExitCode, output.Result, error.Result);
    }
}
