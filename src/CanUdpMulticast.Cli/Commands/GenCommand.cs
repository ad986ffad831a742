using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using CanUdpMulticast.Cli.Generation;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Periodic;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp gen</c>: generate frames like can-utils' cangen.</summary>
internal static class GenCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var count = CommonOptions.Count("--count", "Send this many frames, then exit [default: until Ctrl+C]", "-n");
        var rate = new Option<double?>("--rate", "-r") { Description = "Frames per second", HelpName = "fps" };
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && !(v > 0 && double.IsFinite(v)))
            {
                r.AddError($"--rate must be a positive number of frames per second, not {v}.");
            }
        });
        var gap = CommonOptions.Duration("--gap", "Time between frames in ms (cangen -g), 0 = as fast as possible [default: 200]. Each gap is kept by the library's periodic scheduler: on Linux typically within 0.1 ms (late frames are sent at once to stay on the grid)", TimeSpan.FromMilliseconds(1), "-g");
        var id = new Option<string>("--id", "-I")
        {
            Description = "Id: random, increment, or a hex id (cangen -I)",
            DefaultValueFactory = _ => "random",
            HelpName = "r|i|hex",
        };
        var length = new Option<string?>("--length", "-L")
        {
            Description = "Data length: random, increment, or bytes (cangen -L) [default: random, or the length of fixed --data]",
            HelpName = "r|i|n",
        };
        var data = new Option<string>("--data", "-D")
        {
            Description = "Data: random, increment (64-bit little-endian counter), or hex bytes like DEADBEEF (cangen -D)",
            DefaultValueFactory = _ => "random",
            HelpName = "r|i|hex",
        };
        var extended = new Option<bool>("--extended", "-e") { Description = "Extended (29-bit) ids" };
        var fdFrames = new Option<bool>("--fd-frames", "-f") { Description = "Generate CAN FD frames (up to 64 bytes)" };
        var brs = new Option<bool>("--brs", "-b") { Description = "Set the bitrate switch flag on FD frames" };
        var remote = new Option<bool>("--remote", "-R") { Description = "Generate remote frames" };
        var seed = new Option<int?>("--seed") { Description = "Seed for the random values (repeatable runs)" };

        var command = new Command("gen", "Generate frames like cangen: random, incrementing or fixed ids, lengths and data");
        bus.AddTo(command);
        foreach (var option in new Option[] { count, rate, gap, id, length, data, extended, fdFrames, brs, remote, seed })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if (r.GetResult(rate) is not null && r.GetResult(gap) is not null)
            {
                r.AddError("--rate and --gap exclude each other: give the frames per second or the time between frames.");
            }
        });

        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = BuildSettings(result, id, length, data, extended, fdFrames, brs, remote);
            var generator = new FrameGenerator(settings, result.GetValue(seed) is { } s ? new Random(s) : new Random());
            var frameGap = result.GetValue(rate) is { } fps ? TimeSpan.FromSeconds(1 / fps) : result.GetValue(gap) ?? TimeSpan.FromMilliseconds(200);
            var total = result.GetValue(count) ?? 0;
            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                return await RunAsync(context, canBus, generator, frameGap, total, result.GetValue(CommonOptions.Quiet), cancellationToken);
            }
        });
        return command;
    }

    private static GeneratorSettings BuildSettings(ParseResult result, Option<string> id, Option<string?> length, Option<string> data, Option<bool> extended, Option<bool> fd, Option<bool> brs, Option<bool> remote)
    {
        var settings = new GeneratorSettings
        {
            Extended = result.GetValue(extended),
            Fd = result.GetValue(fd),
            BitrateSwitch = result.GetValue(brs),
            Remote = result.GetValue(remote),
        };
        var idText = result.GetValue(id)!;
        if (!GeneratorOptionParser.TryParseMode(idText, out var idMode))
        {
            settings = GeneratorOptionParser.TryParseHexId(idText, out var fixedId)
                ? settings with { IdMode = GeneratorMode.Fixed, FixedId = fixedId }
                : throw new UsageException($"--id '{idText}' must be random (r), increment (i) or a hex id like 123.");
        }
        else
        {
            settings = settings with { IdMode = idMode };
        }

        var dataText = result.GetValue(data)!;
        if (!GeneratorOptionParser.TryParseMode(dataText, out var dataMode))
        {
            settings = GeneratorOptionParser.TryParseHexData(dataText, out var bytes)
                ? settings with { DataMode = GeneratorMode.Fixed, FixedData = bytes, LengthMode = GeneratorMode.Fixed, FixedLength = bytes.Length }
                : throw new UsageException($"--data '{dataText}' must be random (r), increment (i) or hex bytes like DEADBEEF (at most 64).");
        }
        else
        {
            settings = settings with { DataMode = dataMode };
        }

        if (result.GetValue(length) is { } lengthText)
        {
            if (GeneratorOptionParser.TryParseMode(lengthText, out var lengthMode))
            {
                settings = settings with { LengthMode = lengthMode };
            }
            else if (int.TryParse(lengthText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fixedLength))
            {
                settings = settings with { LengthMode = GeneratorMode.Fixed, FixedLength = fixedLength };
            }
            else
            {
                throw new UsageException($"--length '{lengthText}' must be random (r), increment (i) or a number of bytes.");
            }
        }

        return settings.Validate() is { } problem ? throw new UsageException($"gen: {problem}.") : settings;
    }

    private static async Task<int> RunAsync(CliContext context, CanBus bus, FrameGenerator generator, TimeSpan gap, long total, bool quiet, CancellationToken cancellationToken)
    {
        if (!quiet)
        {
            var howMany = total > 0 ? Summary.Frames(total) : "frames until Ctrl+C";
            var pace = gap > TimeSpan.Zero ? $"at {(1 / gap.TotalSeconds).ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture)} frames/s" : "as fast as possible";
            await context.Error.WriteLineAsync($"gen: sending {howMany} on {bus.ChannelInfo}, {pace}");
        }

        var showProgress = total > 0 && context.OutputIsTerminal && !quiet;
        Exception? failure = null;
        var elapsed = TimeSpan.Zero;
        var sent = await ProgressDisplay.RunAsync(context, showProgress, "gen", total, async report =>
        {
            var started = Stopwatch.GetTimestamp();
            long done = 0;
            try
            {
                if (gap > TimeSpan.Zero)
                {
                    done = await SendPacedAsync(bus, generator, gap, total, report, cancellationToken);
                }
                else
                {
                    for (long i = 0; total == 0 || i < total; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var message = generator.Next() with { Timestamp = CanClock.Now(), IsRx = false };
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
            catch (CanException ex)
            {
                failure = ex;
            }

            elapsed = Stopwatch.GetElapsedTime(started);
            return done;
        });
        if (!quiet || failure is not null)
        {
            await context.Error.WriteLineAsync(
                $"gen: {Summary.Frames(sent)} sent in {Summary.Seconds(elapsed)} ({Summary.Rate(sent, elapsed)}) on {bus.ChannelInfo}");
        }

        if (failure is not null)
        {
            await context.Error.WriteLineAsync($"canudp: sending failed: {failure.Message}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Sends on the library's periodic scheduler (one precise thread: sleeps with sub-millisecond resolution and spins
    /// the last 200 µs), so each gap is kept, not only the average; slot <c>k</c> is due at <c>start + k * gap</c>.
    /// </summary>
    private static async Task<long> SendPacedAsync(CanBus bus, FrameGenerator generator, TimeSpan gap, long total, Action<long> report, CancellationToken cancellationToken)
    {
        Exception? error = null;
        var options = new PeriodicSendOptions
        {
            // The placeholder below is replaced before every send, the first one included.
            Modifier = _ => generator.Next() with { Timestamp = CanClock.Now(), IsRx = false },
            SendTimeout = Timeout.InfiniteTimeSpan,
            OnError = ex =>
            {
                error = ex;
                return false;
            },
        };

        // Slots are due at k * gap; a run of (total - 0.5) gaps holds exactly the slots 0 .. total-1.
        TimeSpan? duration = total > 0 ? gap * (total - 0.5) : null;
        var task = bus.SendPeriodic(new CanMessage(0, []), gap, duration, options);
        await using (task)
        {
            using (cancellationToken.Register(task.Stop))
            {
                while (!task.Completion.IsCompleted)
                {
                    await Task.WhenAny(task.Completion, Task.Delay(100, CancellationToken.None));
                    report(task.Statistics.Sent);
                }
            }

            report(task.Statistics.Sent);
            if (error is not null)
            {
                throw error is CanException can ? can : new CanOperationException(error.Message, error);
            }

            return task.Statistics.Sent;
        }
    }
}
