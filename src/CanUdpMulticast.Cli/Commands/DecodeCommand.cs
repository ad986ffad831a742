using System.CommandLine;
using System.Globalization;
using System.Text;
using CanUdpMulticast.Cli.Dbc;
using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp decode --dbc x.dbc LOG</c>: a log file of any readable format as decoded text (each frame as a candump -L
/// line followed by its signals) or as CSV with one column per signal, for spreadsheets and plotting.
/// </summary>
internal static class DecodeCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "The log file to read (" + string.Join(" ", LogFileFormats.ReadableSuffixes) + ")" };
        var dbcFiles = DbcOptions.Create(required: true);
        var format = new Option<string>("--format", "-f")
        {
            Description = "text: each frame then its signals (default); csv: one row per decoded frame, one column per signal",
            DefaultValueFactory = _ => "text",
            HelpName = "text|csv",
        };
        format.AcceptOnlyFromAmong("text", "csv");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout", HelpName = "file" };
        var command = new Command("decode", "Decode a log file with DBC databases into text or CSV (one column per signal)");
        command.Arguments.Add(input);
        command.Options.Add(dbcFiles);
        command.Options.Add(format);
        command.Options.Add(output);
        command.SetAction(async (result, cancellationToken) =>
        {
            var quiet = result.GetValue(CommonOptions.Quiet);
            var dbc = DbcOptions.Load(result.GetValue(dbcFiles), context, quiet, "decode")!;
            var inputPath = result.GetValue(input)!;
            var outputPath = result.GetValue(output);
            var csv = result.GetValue(format) == "csv";
            long frames = 0, decoded = 0;
            await using (var reader = LogFileFormats.OpenReader(inputPath))
            {
                var writer = outputPath is null ? context.Out : new StreamWriter(outputPath, append: false, new UTF8Encoding(false));
                try
                {
                    var columns = csv ? WriteCsvHeader(writer, dbc) : null;
                    var printer = new FramePrinter(DumpFormat.Log);
                    var text = new StringBuilder();
                    await foreach (var frame in reader.WithCancellation(cancellationToken))
                    {
                        frames++;
                        text.Clear();
                        var known = dbc.TryDecode(frame, out var message);
                        decoded += known ? 1 : 0;
                        if (csv)
                        {
                            if (known)
                            {
                                AppendCsvRow(text, frame, message!, columns!);
                            }
                        }
                        else
                        {
                            printer.AppendLine(text, frame);
                            if (known)
                            {
                                SignalText.AppendLine(text, message!);
                            }
                        }

                        await writer.WriteAsync(text, cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: keep what was written and report.
                }
                finally
                {
                    await writer.FlushAsync(CancellationToken.None);
                    if (outputPath is not null)
                    {
                        await writer.DisposeAsync();
                    }
                }
            }

            if (!quiet)
            {
                await context.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"decode: {frames} frames from {inputPath}, {decoded} decoded, {frames - decoded} with ids not in the DBC"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Writes <c>timestamp,channel,id,message,Msg.Signal,...</c>; returns each signal's column index.</summary>
    private static Dictionary<DbcSignal, int> WriteCsvHeader(TextWriter writer, DbcSet dbc)
    {
        var columns = new Dictionary<DbcSignal, int>();
        var header = new StringBuilder("timestamp,channel,id,message");
        foreach (var message in dbc.Messages)
        {
            foreach (var signal in message.Signals)
            {
                columns[signal] = columns.Count;
                header.Append(',').Append(Csv($"{message.Name}.{signal.Name}"));
            }
        }

        writer.WriteLine(header);
        return columns;
    }

    private static void AppendCsvRow(StringBuilder text, in CanMessage frame, DecodedMessage message, Dictionary<DbcSignal, int> columns)
    {
        var cells = new string[columns.Count];
        foreach (var signal in message.Signals)
        {
            if (columns.TryGetValue(signal.Signal, out var index))
            {
                cells[index] = signal.Value.ToString("R", CultureInfo.InvariantCulture);
            }
        }

        text.Append(frame.Timestamp.ToString("F6", CultureInfo.InvariantCulture)).Append(',')
            .Append(Csv(frame.Channel.ToString())).Append(',')
            .Append(frame.ArbitrationId.ToString(frame.IsExtendedId ? "X8" : "X3", CultureInfo.InvariantCulture)).Append(',')
            .Append(Csv(message.Message.Name));
        foreach (var cell in cells)
        {
            text.Append(',').Append(cell);
        }

        text.Append('\n');
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
