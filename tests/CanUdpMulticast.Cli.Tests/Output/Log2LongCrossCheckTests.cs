using System.Diagnostics;
using System.Text;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Cli.Tests.Support;
using CsCheck;

namespace CanUdpMulticast.Cli.Tests.Output;

/// <summary>
/// The long candump format checked against can-utils itself: <c>log2long</c> prints a .log file with the same
/// lib.c routine candump uses (with indented standard ids and ASCII), so for random frames our formatter must
/// produce its output character for character. Skipped only where can-utils is not installed (.ci/run installs it).
/// </summary>
public sealed class Log2LongCrossCheckTests
{
    private const string Log2Long = "/usr/bin/log2long";

    [SkippableFact]
    public void LongFormat_RandomFrames_EqualsCanUtilsLog2Long()
    {
        Skip.IfNot(File.Exists(Log2Long), "can-utils (log2long) is not installed");
        Generators.Frame.Array[1, 100].Sample(CheckAgainstLog2Long, iter: 20, threads: 1, print: f => string.Join(" ", f.Select(m => IO.CanFrameText.Format(m))));
    }

    private static void CheckAgainstLog2Long(CanMessage[] frames)
    {
        // The .log file as the library's candump writer (the one canudp log uses) writes it.
        var stream = new MemoryStream();
        using (var writer = IO.CanLogWriter.Create(stream, ".log", leaveOpen: true))
        {
            foreach (var frame in frames)
            {
                writer.Write(frame);
            }
        }

        var log = Encoding.UTF8.GetString(stream.ToArray());
        var expected = RunLog2Long(log);
        var timestamps = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..(l.IndexOf(')', StringComparison.Ordinal) + 1)]).ToList();
        var actual = frames.Select((f, i) =>
        {
            var sb = new StringBuilder();
            sb.Append(timestamps[i]).Append("  vcan0  ");
            FramePrinter.AppendLongFrame(sb, f, indentStandardId: true, ascii: true);
            return sb.ToString();
        }).ToList();

        actual.Should().HaveCount(expected.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            actual[i].Should().Be(expected[i], $"frame {i} ({IO.CanFrameText.Format(frames[i])}) must print as log2long prints it");
        }
    }

    private static List<string> RunLog2Long(string input)
    {
        var start = new ProcessStartInfo(Log2Long)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        process.WaitForExit(10_000).Should().BeTrue();
        return [.. output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
