using System.CommandLine;
using CanUdpMulticast.Cli.JetStreamRecording;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Nats.JetStream;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp nats-replay</c>: replay a time range of a JetStream recording onto any bus at the original pace.</summary>
internal static class NatsReplayCommand
{
    public static Command Create(CliContext context)
    {
        var options = new RecordingOptionSet(withRange: true);
        var target = new BusOptionSet("to-", "the target bus");
        var command = new Command("nats-replay", "Replay a time range of a JetStream recording (nats-record) onto any bus (--to-interface, --to-channel, ...) at the original pace");
        options.AddTo(command);
        target.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var bus = options.Resolve(result, context);
            var destination = target.Open(target.Resolve(result, context), context);
            await using (destination)
            {
                var sent = await NatsRecording.ReplayAsync(bus, destination, result.GetValue(options.Stream), result.GetValue(options.From!), result.GetValue(options.To!), cancellationToken: cancellationToken);
                await context.Error.WriteLineAsync($"nats-replay: {sent} frames onto {destination.ChannelInfo}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
