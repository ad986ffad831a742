using System.CommandLine;
using System.Diagnostics;
using CanUdpMulticast.Cli.Dbc;
using CanUdpMulticast.Cli.Monitor;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Cli.Receiving;
using Spectre.Console;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp monitor</c>: a live table with one row per id, like python-can's can.viewer.</summary>
internal static class MonitorCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var duration = CommonOptions.Duration("--duration", "Exit after this long [default: until q or Ctrl+C]", TimeSpan.FromSeconds(1), "-d");
        var refresh = CommonOptions.Duration("--refresh", "Time between screen updates [default: 0.2 s]", TimeSpan.FromSeconds(1));

        var command = new Command("monitor", "Live table: one row per id with count, mean period and the last data (changed bytes highlighted); q quits");
        bus.AddTo(command);
        command.Options.Add(duration);
        command.Options.Add(refresh);
        var dbcFiles = DbcOptions.Create();
        command.Options.Add(dbcFiles);
        command.SetAction(async (result, cancellationToken) =>
        {
            var dbc = DbcOptions.Load(result.GetValue(dbcFiles), context, result.GetValue(CommonOptions.Quiet), "monitor");
            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                return await RunAsync(context, canBus, dbc is null ? null : new SignalMonitor(dbc), result.GetValue(duration), result.GetValue(refresh) ?? TimeSpan.FromSeconds(0.2), result.GetValue(CommonOptions.Quiet), cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CanBus bus, SignalMonitor? signals, TimeSpan? duration, TimeSpan refresh, bool quiet, CancellationToken cancellationToken)
    {
        var table = new MonitorTable();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var started = Stopwatch.GetTimestamp();
        var receiving = ReceiveLoop.RunAsync(
            bus,
            frames =>
            {
                foreach (ref readonly var frame in frames)
                {
                    table.Add(frame);
                    signals?.Add(frame);
                }

                return true;
            },
            idleTimeout: null,
            stop.Token);

        var interactive = context.OutputIsTerminal;
        if (interactive)
        {
            await context.Console.Live(Render()).AutoClear(false)
                .Overflow(VerticalOverflow.Ellipsis)
                .Cropping(VerticalOverflowCropping.Bottom)
                .StartAsync(async live =>
                {
                    while (!stop.IsCancellationRequested && !receiving.IsCompleted)
                    {
                        while (context.Keys.TryReadKey(out var key))
                        {
                            if (key is 'q' or 'Q')
                            {
                                await stop.CancelAsync();
                            }
                        }

                        live.UpdateTarget(Render());
                        try
                        {
                            await Task.Delay(refresh, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }

                    live.UpdateTarget(Render());
                });
        }
        else
        {
            try
            {
                await Task.WhenAny(receiving, Task.Delay(Timeout.Infinite, stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        }

        await stop.CancelAsync();
        await receiving;
        if (!interactive)
        {
            context.Console.Write(Render());
        }

        if (!quiet)
        {
            await context.Error.WriteLineAsync(
                $"monitor: {Summary.Frames(table.Total)} from {table.Snapshot().Count} ids in {Summary.Seconds(Stopwatch.GetElapsedTime(started))}{Summary.Losses(bus.Statistics)}");
        }

        return ExitCodes.Ok;

        Spectre.Console.Rendering.IRenderable Render()
        {
            var frames = MonitorView.Render(table.Snapshot(), table.Total, Stopwatch.GetElapsedTime(started), bus.ChannelInfo, interactive);
            return signals is null ? frames : new Rows(frames, signals.Render());
        }
    }
}
