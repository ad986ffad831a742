using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp replay FILE</c>: send the frames of a log file (python-can's can.player, canplayer).</summary>
internal static class ReplayCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var file = new Argument<string>("FILE") { Description = $"The log file to replay; the suffix picks the format ({string.Join(", ", LogFileFormats.ReadableSuffixes)}, also .gz)" };
        var ignoreTimestamps = new Option<bool>("--ignore-timestamps") { Description = "Ignore the recorded timing: send one frame every --gap" };
        var gap = CommonOptions.Duration("--gap", "Time between frames with --ignore-timestamps [default: 0.0001 s, as python-can]", TimeSpan.FromSeconds(1), "-g");
        var skip = CommonOptions.Duration("--skip", "Cut pauses longer than this in the recording to this; 0 keeps every pause [default: 86400 s]", TimeSpan.FromSeconds(1), "-s");
        var loop = new Option<string?>("--loop", "-l")
        {
            Description = "Play the file this many times; i for endlessly [default: 1]",
            HelpName = "n|i",
        };
        loop.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && ParseLoops(text) is null)
            {
                r.AddError($"--loop '{text}' must be a number of passes (1 or more) or i for endless.");
            }
        });
        var errorFrames = new Option<bool>("--error-frames") { Description = "Also send error frames (skipped by default, as can.player does)" };

        var command = new Command("replay", "Send the frames of a log file with their recorded timing");
        command.Arguments.Add(file);
        bus.AddTo(command);
        foreach (var option in new Option[] { ignoreTimestamps, gap, skip, loop, errorFrames })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            var settings = new ReplaySettings(
                path,
                result.GetValue(ignoreTimestamps),
                result.GetValue(gap) ?? TimeSpan.FromSeconds(0.0001),
                result.GetValue(skip) ?? TimeSpan.FromDays(1),
                result.GetValue(loop) is { } l ? ParseLoops(l)!.Value : 1,
                result.GetValue(errorFrames));

            // Open the file before the bus: a missing file or an unknown format is reported without touching the network.
            await using (LogFileFormats.OpenReader(path))
            {
            }

            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                return await RunAsync(context, canBus, settings, result.GetValue(CommonOptions.Quiet), cancellationToken);
            }
        });
        return command;
    }

    /// <summary>Parses <c>--loop</c>: a positive count, or <c>i</c> for endless (0).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The passes (0 = endless), or null when invalid.</returns>
    public static long? ParseLoops(string text) => text.Trim().ToLowerInvariant() switch
    {
        "i" or "inf" or "infinite" => 0,
        var s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 => n,
        _ => null,
    };

    private sealed record ReplaySettings(string Path, bool IgnoreTimestamps, TimeSpan Gap, TimeSpan Skip, long Loops, bool ErrorFrames);

    private static async Task<int> RunAsync(CliContext context, CanBus bus, ReplaySettings settings, bool quiet, CancellationToken cancellationToken)
    {
        var showProgress = context.OutputIsTerminal && settings.Loops > 0 && !quiet;
        var total = showProgress ? CountFrames(settings) * settings.Loops : 0;
        var sync = new MessageSyncOptions { UseTimestamps = !settings.IgnoreTimestamps, Gap = settings.Gap, Skip = settings.Skip };
        long skippedErrors = 0;
        var elapsed = TimeSpan.Zero;
        var sent = await ProgressDisplay.RunAsync(context, showProgress, "replay", total, async report =>
        {
            var started = Stopwatch.GetTimestamp();
            long done = 0;
            try
            {
                for (long pass = 0; settings.Loops == 0 || pass < settings.Loops; pass++)
                {
                    // Each pass starts a new schedule from its first frame (python-can's player with --loop).
                    await using var reader = LogFileFormats.OpenReader(settings.Path);
                    await foreach (var message in new MessageSync(SkipErrorFrames(reader, settings.ErrorFrames, () => skippedErrors++), sync).WithCancellation(cancellationToken))
                    {
                        await bus.SendAsync(message, cancellationToken);
                        done++;
                        report(done);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: end with the summary.
            }

            elapsed = Stopwatch.GetElapsedTime(started);
            return done;
        });
        if (!quiet)
        {
            var errors = skippedErrors > 0 ? $"; {skippedErrors} error frames skipped (--error-frames sends them)" : string.Empty;
            await context.Error.WriteLineAsync(
                $"replay: {Summary.Frames(sent)} sent from {settings.Path} in {Summary.Seconds(elapsed)} ({Summary.Rate(sent, elapsed)}) on {bus.ChannelInfo}{errors}");
        }

        return ExitCodes.Ok;
    }

    private static async IAsyncEnumerable<CanMessage> SkipErrorFrames(ICanLogReader reader, bool keep, Action skipped)
    {
        await foreach (var message in reader)
        {
            if (message.IsErrorFrame && !keep)
            {
                skipped();
                continue;
            }

            yield return message;
        }
    }

    private static long CountFrames(ReplaySettings settings)
    {
        using var reader = LogFileFormats.OpenReader(settings.Path);
        return reader.LongCount(m => settings.ErrorFrames || !m.IsErrorFrame);
    }
}
