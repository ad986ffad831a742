using System.CommandLine;
using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.JetStreamRecording;
using CanUdpMulticast.Nats.JetStream;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp nats-export OUT</c>: write a time range of a JetStream recording into a log file (any format, by suffix).</summary>
internal static class NatsExportCommand
{
    public static Command Create(CliContext context)
    {
        var options = new RecordingOptionSet(withRange: true);
        var output = new Argument<string>("output") { Description = "The log file to write (" + string.Join(" ", LogFileFormats.WritableSuffixes) + ")" };
        var command = new Command("nats-export", "Export a time range of a JetStream recording (nats-record) into a log file; each frame keeps the time the server stored it");
        command.Arguments.Add(output);
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var bus = options.Resolve(result, context);
            var path = result.GetValue(output)!;
            long frames;
            await using (var writer = LogFileFormats.CreateWriter(path, append: false, fallbackChannel: null))
            {
                frames = await NatsRecording.ExportAsync(bus, writer, result.GetValue(options.Stream), result.GetValue(options.From!), result.GetValue(options.To!), cancellationToken);
            }

            await context.Error.WriteLineAsync($"nats-export: {frames} frames to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
