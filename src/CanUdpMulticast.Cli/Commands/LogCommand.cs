using System.CommandLine;
using System.Diagnostics;
using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Cli.Receiving;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp log FILE</c>: record frames to a log file (python-can's can.logger, candump <c>-l</c>).</summary>
internal static class LogCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var file = new Argument<string>("FILE") { Description = $"The log file; the suffix picks the format ({string.Join(", ", LogFileFormats.WritableSuffixes)}, also .gz)" };
        var append = new Option<bool>("--append", "-a") { Description = "Append to the file instead of replacing it" };
        var count = CommonOptions.Count("--count", "Exit after this many frames", "-n");
        var timeout = CommonOptions.Duration("--timeout", "Exit when no frame arrives for this long", TimeSpan.FromSeconds(1), "-T");
        var name = new Option<string?>("--name")
        {
            Description = "Channel written for frames without one [default: the format's own, as python-can: vcan0 in .log, 1 in .asc/.trc]",
        };

        var command = new Command("log", "Record frames to a log file (candump .log, ASC, CSV, TRC, ... by suffix)");
        command.Arguments.Add(file);
        bus.AddTo(command);
        foreach (var option in new Option[] { append, count, timeout, name })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            var label = result.GetValue(name);
            if (label is not null && !ChannelLabel.IsUsable(label))
            {
                throw new UsageException($"--name '{label}' must be one word without spaces, '#' or parentheses.");
            }

            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                await using var writer = LogFileFormats.CreateWriter(path, result.GetValue(append), label);
                return await RunAsync(context, canBus, writer, path, result.GetValue(count), result.GetValue(timeout), result.GetValue(CommonOptions.Quiet), cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CanBus bus, ICanLogWriter writer, string path, long? count, TimeSpan? timeout, bool quiet, CancellationToken cancellationToken)
    {
        if (!quiet)
        {
            await context.Error.WriteLineAsync($"log: connected to {bus.ChannelInfo}, writing {path} (Ctrl+C to stop)");
        }

        var limit = count is > 0 ? count.Value : long.MaxValue;
        long written = 0;
        var started = Stopwatch.GetTimestamp();
        var end = await ReceiveLoop.RunAsync(
            bus,
            frames =>
            {
                foreach (ref readonly var frame in frames)
                {
                    writer.Write(frame);
                    if (++written >= limit)
                    {
                        break;
                    }
                }

                writer.Flush();
                return written < limit;
            },
            timeout,
            cancellationToken);
        writer.Flush();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var incomplete = end == ReceiveEnd.IdleTimeout && count is > 0 && written < limit;
        if (!quiet || incomplete)
        {
            var of = count is > 0 ? $" of {count}" : string.Empty;
            var why = end == ReceiveEnd.IdleTimeout ? $"; no frame for {Summary.Seconds(timeout!.Value)}" : string.Empty;
            await context.Error.WriteLineAsync(
                $"log: {Summary.Frames(written)}{of} written to {path} in {Summary.Seconds(elapsed)}{Summary.Losses(bus.Statistics)}{why}");
        }

        return incomplete ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
