using System.CommandLine;
using System.Globalization;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Nats;
using CanUdpMulticast.Nats.JetStream;

namespace CanUdpMulticast.Cli.JetStreamRecording;

/// <summary>
/// The options of the JetStream recording commands: the recorded nats bus (its channel and <c>--bus-option</c>s:
/// servers, credentials, TLS, subject prefix), the stream, and a time range.
/// </summary>
internal sealed class RecordingOptionSet
{
    public RecordingOptionSet(bool withRange)
    {
        Bus = new BusOptionSet(string.Empty, "the recorded nats bus");
        Stream = new Option<string?>("--stream") { Description = "JetStream stream name [default: CAN_<bus>]", HelpName = "name" };
        if (withRange)
        {
            From = new Option<DateTimeOffset?>("--from") { Description = "First instant (ISO 8601, e.g. 2026-12-04T10:00:00Z) [default: the oldest frame]", HelpName = "time" };
            To = new Option<DateTimeOffset?>("--to") { Description = "Last instant (ISO 8601) [default: the newest frame]", HelpName = "time" };
        }
    }

    public BusOptionSet Bus { get; }

    public Option<string?> Stream { get; }

    public Option<DateTimeOffset?>? From { get; }

    public Option<DateTimeOffset?>? To { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Bus.Channel);
        command.Options.Add(Bus.BusOptions);
        command.Options.Add(Stream);
        if (From is not null && To is not null)
        {
            command.Options.Add(From);
            command.Options.Add(To);
        }
    }

    /// <summary>The nats bus options from the command line (the interface is always nats).</summary>
    public NatsBusOptions Resolve(ParseResult result, CliContext context)
    {
        var config = Bus.Resolve(result, context);
        config.Interface = NatsInterface.Name;
        return NatsInterface.ToOptions(config);
    }

    public static string Describe(NatsRecordingInfo info) => string.Create(
        CultureInfo.InvariantCulture,
        $"stream {info.Stream} ({string.Join(", ", info.Subjects)}): {info.Frames} frames, {info.Bytes} bytes{(info.First is { } first ? $", {first:O} .. {info.Last:O}" : string.Empty)}");
}
