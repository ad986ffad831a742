using System.CommandLine;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// The list of <c>canudp</c> commands, in the order <c>--help</c> shows them. A new command (e.g. <c>bench</c> from
/// the performance work) is one static class with <c>Create(CliContext)</c> in this folder plus one line here.
/// </summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        DemoCommand.Create(context),
        DumpCommand.Create(context),
        SendCommand.Create(context),
        GenCommand.Create(context),
        LogCommand.Create(context),
        ReplayCommand.Create(context),
        ConvertCommand.Create(context),
        DecodeCommand.Create(context),
        MonitorCommand.Create(context),
        RestbusCommand.Create(context),
        BridgeCommand.Create(context),
        NatsRecordCommand.Create(context),
        NatsExportCommand.Create(context),
        NatsReplayCommand.Create(context),
        DetectCommand.Create(context),
        BenchCommand.Create(context),
    ];
}
