using System.CommandLine;
using CanUdpMulticast.Cli.JetStreamRecording;
using CanUdpMulticast.Nats.JetStream;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp nats-record</c>: have the NATS server record a nats bus into a JetStream stream (it keeps recording after this exits).</summary>
internal static class NatsRecordCommand
{
    public static Command Create(CliContext context)
    {
        var options = new RecordingOptionSet(withRange: false);
        var maxAge = new Option<TimeSpan?>("--max-age") { Description = "Keep frames this long (e.g. 1.00:00:00 for a day) [default: for ever]", HelpName = "d.hh:mm:ss" };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "Keep at most this many bytes (oldest go first) [default: no limit]", HelpName = "bytes" };
        var info = new Option<bool>("--info") { Description = "Only show what the stream holds" };
        var command = new Command("nats-record", "Record a nats bus server-side into a JetStream stream (needs nats-server -js); it keeps recording with no process running. Read it back with nats-export or nats-replay.");
        options.AddTo(command);
        command.Options.Add(maxAge);
        command.Options.Add(maxBytes);
        command.Options.Add(info);
        command.SetAction(async (result, cancellationToken) =>
        {
            var bus = options.Resolve(result, context);
            var stream = result.GetValue(options.Stream);
            var state = result.GetValue(info)
                ? await NatsRecording.GetInfoAsync(bus, stream, cancellationToken)
                : await NatsRecording.StartAsync(bus, stream, result.GetValue(maxAge) ?? TimeSpan.Zero, result.GetValue(maxBytes) ?? -1, cancellationToken);
            await context.Out.WriteLineAsync("nats-record: " + RecordingOptionSet.Describe(state));
            return ExitCodes.Ok;
        });
        return command;
    }
}
