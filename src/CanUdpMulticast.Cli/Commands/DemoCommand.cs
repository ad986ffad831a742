using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Cli.Receiving;
using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp demo</c>: the first thing to run. Opens a receiver and a sender on the same bus in this process, sends a
/// few kinds of frames for a few seconds while printing what arrives, then says in one line whether it all came
/// through. Loopback-safe: on udp_multicast the hop limit is 0, so nothing leaves this host. It reads no config
/// file or CAN_* variable (a fresh machine and a configured one behave the same) unless <c>--use-config</c>.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet(string.Empty, "the demo bus");
        var duration = CommonOptions.Duration("--duration", "How long to send [default: 3 s]", TimeSpan.FromSeconds(1), "-d");
        var rate = new Option<double>("--rate", "-r")
        {
            Description = "Frames per second",
            DefaultValueFactory = _ => 10,
            HelpName = "fps",
        };
        rate.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!(v > 0 && v <= 100_000))
            {
                r.AddError($"--rate must be more than 0 and at most 100000 frames per second, not {v}.");
            }
        });
        var color = CommonOptions.Color();

        var command = new Command("demo", "See it work: a receiver and a sender on this host (udp_multicast, hop limit 0), a few seconds of frames, a one-line verdict");
        bus.AddTo(command);
        command.Options.Add(duration);
        command.Options.Add(rate);
        command.Options.Add(color);
        command.SetAction(async (result, cancellationToken) =>
        {
            var config = bus.Resolve(result, context, ignoreConfig: true);
            if (config.InterfaceSource == "the default" && !context.Registry.Contains(BusOptionSet.DefaultInterface))
            {
                config.Interface = "virtual";
            }

            if (config.Interface == BusOptionSet.DefaultInterface && !config.Contains(BusOptionSet.HopLimitKey))
            {
                config.Set(BusOptionSet.HopLimitKey, 0L, "the demo (frames stay on this host)");
            }

            config.Channel ??= config.Interface == "virtual" ? "demo" : null;
            var printer = new FramePrinter(DumpFormat.Candump, TimestampMode.Zero, ascii: false, CommonOptions.UseColor(result.GetValue(color), context), "demo");
            return await RunAsync(context, bus, config, printer, result.GetValue(duration) ?? TimeSpan.FromSeconds(3), result.GetValue(rate), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, BusOptionSet busOptions, BusConfiguration config, FramePrinter printer, TimeSpan duration, double rate, CancellationToken cancellationToken)
    {
        var receiver = busOptions.Open(config, context);
        await using (receiver)
        {
            var sender = busOptions.Open(config.Clone(), context);
            await using (sender)
            {
                var hop = config.TryGetValue(BusOptionSet.HopLimitKey, out var h) ? $", hop limit {h}" : string.Empty;
                await context.Out.WriteLineAsync($"demo: receiver and sender on {receiver.ChannelInfo}{hop}; sending {rate.ToString(CultureInfo.InvariantCulture)} frames/s for {Summary.Seconds(duration)} (Ctrl+C stops)");
                await context.Out.FlushAsync(CancellationToken.None);

                long received = 0;
                using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var text = new StringBuilder();
                var receiving = ReceiveLoop.RunAsync(
                    receiver,
                    frames =>
                    {
                        text.Clear();
                        foreach (ref readonly var frame in frames)
                        {
                            printer.AppendLine(text, frame);
                        }

                        context.Out.Write(text);
                        context.Out.Flush();

                        Interlocked.Add(ref received, frames.Length);
                        return true;
                    },
                    null,
                    stopReceiving.Token);

                var started = Stopwatch.GetTimestamp();
                var fd = !(config.TryGetValue(BusOptionSet.FdKey, out var fdValue) && fdValue is false);
                long sent = 0;
                string? sendError = null;
                try
                {
                    var pacer = new Generation.Pacer(TimeSpan.FromSeconds(1 / rate));
                    for (long i = 0; Stopwatch.GetElapsedTime(started) < duration; i++)
                    {
                        await pacer.WaitAsync(i, cancellationToken);
                        await sender.SendAsync(DemoFrame(i, fd) with { Timestamp = CanClock.Now() }, cancellationToken);
                        sent++;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: the summary still comes.
                }
                catch (CanException ex)
                {
                    sendError = ex.Message;
                }

                // Let the last frames arrive, after Ctrl+C too: frames already sent but not yet taken by a busy receive thread
                // are not lost, and the verdict must not say so. At most a second; a second Ctrl+C ends the process at once.
                var grace = Stopwatch.GetTimestamp();
                while (Interlocked.Read(ref received) < sent && Stopwatch.GetElapsedTime(grace) < TimeSpan.FromSeconds(1))
                {
                    await Task.Delay(10, CancellationToken.None);
                }

                await stopReceiving.CancelAsync();
                await receiving;
                var elapsed = Stopwatch.GetElapsedTime(started);
                var got = Interlocked.Read(ref received);
                string verdict;
                int exit;
                if (sendError is not null)
                {
                    verdict = $"sending failed: {sendError}";
                    exit = ExitCodes.Failure;
                }
                else if (sent > 0 && got == 0)
                {
                    verdict = config.Interface == BusOptionSet.DefaultInterface
                        ? "nothing came back: multicast seems blocked here (no multicast route or a firewall). 'canudp demo -i virtual' shows the tool without the network."
                        : "nothing came back.";
                    exit = ExitCodes.Failure;
                }
                else
                {
                    var lost = Math.Max(0, sent - got);
                    verdict = lost == 0 ? "all frames arrived: it works." : $"{lost} lost (UDP may drop under load).";
                    exit = ExitCodes.Ok;
                }

                // The receive loop has ended: this thread is the only writer again.
                await context.Out.WriteLineAsync($"demo: {sent} sent, {got} received in {Summary.Seconds(elapsed)} on {config.Interface}{hop}: {verdict}");
                await context.Out.FlushAsync(CancellationToken.None);

                return exit;
            }
        }
    }

    /// <summary>The demo's frame sequence: a counter, a standard id with changing data, an extended id, a remote frame and (with FD) a 16-byte FD frame.</summary>
    /// <param name="i">The frame number.</param>
    /// <param name="fd">Whether the bus carries CAN FD frames.</param>
    /// <returns>The frame.</returns>
    public static CanMessage DemoFrame(long i, bool fd)
    {
        var kinds = fd ? 5 : 4;
        var round = i / kinds;
        Span<byte> data = stackalloc byte[16];
        switch (i % kinds)
        {
            case 0:
                BitConverter.TryWriteBytes(data, (ulong)round);
                return new CanMessage(0x100, data[..8]);
            case 1:
                data[0] = (byte)(round * 7);
                data[1] = (byte)(round >> 3);
                data[2] = 0x42;
                return new CanMessage(0x2A5, data[..3]);
            case 2:
                "CANUDP"u8.CopyTo(data);
                data[6] = (byte)round;
                return new CanMessage(0x18FF_1234, data[..7], isExtendedId: true);
            case 3:
                return new CanMessage { ArbitrationId = 0x7DF, IsRemoteFrame = true, Dlc = 8 };
            default:
                for (var b = 0; b < 16; b++)
                {
                    data[b] = (byte)(round + b);
                }

                return new CanMessage(0x3C0, data) { IsFd = true, BitrateSwitch = true };
        }
    }
}
