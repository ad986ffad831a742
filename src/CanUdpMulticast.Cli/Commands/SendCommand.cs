using System.CommandLine;
using System.Diagnostics;
using CanUdpMulticast.Cli.Dbc;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp send FRAME...</c>: send frames in cansend syntax.</summary>
internal static class SendCommand
{
    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var frames = FrameArgument.Create();
        var dbcFiles = DbcOptions.Create();

        // With --dbc the arguments are MESSAGE SIGNAL=VALUE ..., encoded in the action instead of parsed as cansend frames.
        frames.CustomParser = r => r.GetValue(dbcFiles) is { Length: > 0 } ? [] : FrameArgument.Parse(r);
        frames.Description += "; with --dbc: MESSAGE SIGNAL=VALUE ... (values physical, or choice names)";
        var count = CommonOptions.Count("--count", "Send the frames this many times (0: until Ctrl+C) [default: 1]", "-n");
        var interval = CommonOptions.Duration("--interval", "Wait this long between two frames [default: 0]", TimeSpan.FromSeconds(1), "-g");

        var command = new Command("send", "Send frames in cansend syntax, e.g. canudp send 123#DEADBEEF");
        command.Arguments.Add(frames);
        bus.AddTo(command);
        command.Options.Add(count);
        command.Options.Add(interval);
        command.Options.Add(dbcFiles);
        command.SetAction(async (result, cancellationToken) =>
        {
            var dbc = DbcOptions.Load(result.GetValue(dbcFiles), context, result.GetValue(CommonOptions.Quiet), "send");
            var messages = dbc is null ? result.GetValue(frames)! : SignalText.ParseFrames([.. result.GetResult(frames)!.Tokens.Select(t => t.Value)], dbc);
            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                return await RunAsync(context, canBus, messages, result.GetValue(count) ?? 1, result.GetValue(interval) ?? TimeSpan.Zero, result.GetValue(CommonOptions.Quiet), cancellationToken);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CanBus bus, CanMessage[] messages, long rounds, TimeSpan interval, bool quiet, CancellationToken cancellationToken)
    {
        long sent = 0;
        var started = Stopwatch.GetTimestamp();
        var total = rounds == 0 ? long.MaxValue : rounds * messages.Length;
        try
        {
            for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
            {
                if (i > 0 && interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, cancellationToken);
                }

                var message = messages[i % messages.Length] with { Timestamp = CanClock.Now(), IsRx = false };
                await bus.SendAsync(message, cancellationToken);
                sent++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: end with the summary.
        }

        if (!quiet)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            await context.Error.WriteLineAsync($"send: {Summary.Frames(sent)} sent in {Summary.Seconds(elapsed)} on {bus.ChannelInfo}");
        }

        return ExitCodes.Ok;
    }
}
