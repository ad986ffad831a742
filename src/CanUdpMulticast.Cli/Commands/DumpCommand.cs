using System.CommandLine;
using System.Diagnostics;
using System.Text;
using CanUdpMulticast.Cli.Dbc;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Cli.Receiving;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp dump</c>: print frames as they arrive, like candump (or python-can's Printer).</summary>
internal static class DumpCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var count = CommonOptions.Count("--count", "Exit after this many frames", "-n");
        var timeout = CommonOptions.Duration("--timeout", "Exit when no frame arrives for this long (candump -T)", TimeSpan.FromSeconds(1), "-T");
        var logFormat = new Option<bool>("--log-format", "-L") { Description = "candump -L log lines: (1700000000.123456) vcan0 123#112233" };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Output format: candump (default), log (same as -L), python (python-can's Printer)",
            HelpName = "format",
        };
        format.AcceptOnlyFromAmong("candump", "log", "python");
        var timestamp = new Option<string?>("--timestamp", "-t")
        {
            Description = "Timestamps like candump -t: a absolute, A absolute with date, d delta, z from zero",
            HelpName = "a|A|d|z",
        };
        timestamp.AcceptOnlyFromAmong("a", "A", "d", "z");
        var ascii = new Option<bool>("--ascii", "-a") { Description = "Also print the data as ASCII (candump -a)" };
        var color = CommonOptions.Color();
        var name = new Option<string>("--name")
        {
            Description = "Interface name printed for frames without a channel name",
            DefaultValueFactory = _ => ChannelLabel.DefaultFallback,
        };

        var dbcFiles = DbcOptions.Create();
        var command = new Command("dump", "Print frames as they arrive (candump format by default)");
        bus.AddTo(command);
        foreach (var option in new Option[] { count, timeout, logFormat, format, timestamp, ascii, color, name, dbcFiles })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var dumpFormat = result.GetValue(logFormat) ? DumpFormat.Log : result.GetValue(format) switch
            {
                "log" => DumpFormat.Log,
                "python" => DumpFormat.Python,
                _ => DumpFormat.Candump,
            };
            var mode = result.GetValue(timestamp) switch
            {
                "a" => TimestampMode.Absolute,
                "A" => TimestampMode.AbsoluteDate,
                "d" => TimestampMode.Delta,
                "z" => TimestampMode.Zero,
                _ => TimestampMode.None,
            };
            var label = result.GetValue(name)!;
            if (!ChannelLabel.IsUsable(label))
            {
                throw new UsageException($"--name '{label}' must be one word without spaces, '#' or parentheses.");
            }

            var dbc = DbcOptions.Load(result.GetValue(dbcFiles), context, result.GetValue(CommonOptions.Quiet), "dump");
            var printer = new FramePrinter(dumpFormat, mode, result.GetValue(ascii), CommonOptions.UseColor(result.GetValue(color), context), label);
            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                return await RunAsync(context, canBus, printer, dbc, result.GetValue(count), result.GetValue(timeout), result.GetValue(CommonOptions.Quiet), cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CanBus bus, FramePrinter printer, DbcSet? dbc, long? count, TimeSpan? timeout, bool quiet, CancellationToken cancellationToken)
    {
        if (!quiet)
        {
            await context.Error.WriteLineAsync($"dump: listening on {bus.ChannelInfo} (Ctrl+C to stop)");
        }

        var limit = count is > 0 ? count.Value : long.MaxValue;
        long received = 0;
        var text = new StringBuilder(8192);
        var started = Stopwatch.GetTimestamp();
        var end = await ReceiveLoop.RunAsync(
            bus,
            frames =>
            {
                text.Clear();
                foreach (ref readonly var frame in frames)
                {
                    printer.AppendLine(text, frame);
                    if (dbc is not null && dbc.TryDecode(frame, out var decoded))
                    {
                        SignalText.AppendLine(text, decoded);
                    }
                    if (++received >= limit)
                    {
                        break;
                    }
                }

                context.Out.Write(text);
                context.Out.Flush();
                return received < limit;
            },
            timeout,
            cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        context.Out.Flush();
        var incomplete = end == ReceiveEnd.IdleTimeout && count is > 0 && received < limit;
        if (!quiet || incomplete)
        {
            var why = end switch
            {
                ReceiveEnd.IdleTimeout => $"; no frame for {Summary.Seconds(timeout!.Value)}",
                ReceiveEnd.BusClosed => "; the bus closed",
                _ => string.Empty,
            };
            var of = count is > 0 ? $" of {count}" : string.Empty;
            await context.Error.WriteLineAsync(
                $"dump: {Summary.Frames(received)}{of} received in {Summary.Seconds(elapsed)} on {bus.ChannelInfo}{Summary.Losses(bus.Statistics)}{why}");
        }

        return incomplete ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
