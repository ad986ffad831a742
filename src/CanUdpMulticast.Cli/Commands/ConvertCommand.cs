using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast.Cli.LogFiles;
using CanUdpMulticast.Cli.Options;
using Spectre.Console;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp convert IN OUT</c>: copy every frame of one log file into another, each format chosen by its suffix
/// (python-can's <c>can.logconvert</c>).
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "The log file to read (" + string.Join(" ", LogFileFormats.ReadableSuffixes) + ", and .gz forms of the text formats)" };
        var output = new Argument<string>("output") { Description = "The log file to write (" + string.Join(" ", LogFileFormats.WritableSuffixes) + ")" };
        var append = new Option<bool>("--append", "-a") { Description = "Append to an existing output file" };
        var name = new Option<string?>("--name") { Description = "Channel written for frames that have none [default: the output format's]", HelpName = "channel" };
        var command = new Command("convert", "Convert a log file into another format (python-can's can.logconvert)");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(append);
        command.Options.Add(name);
        command.SetAction(async (result, cancellationToken) =>
        {
            var inputPath = result.GetValue(input)!;
            var outputPath = result.GetValue(output)!;
            if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
            {
                throw new UsageException($"convert: the input and the output are the same file '{inputPath}'.");
            }

            var stopwatch = Stopwatch.StartNew();
            long frames = 0;
            await using (var reader = LogFileFormats.OpenReader(inputPath))
            await using (var writer = LogFileFormats.CreateWriter(outputPath, result.GetValue(append), result.GetValue(name)))
            {
                async Task CopyAsync(Action<long>? progress)
                {
                    await foreach (var frame in reader.WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        writer.Write(frame);
                        if (++frames % 10_000 == 0)
                        {
                            progress?.Invoke(frames);
                        }
                    }
                }

                try
                {
                    if (context.OutputIsTerminal && !result.GetValue(CommonOptions.Quiet))
                    {
                        await context.Console.Status().StartAsync("converting", async status =>
                            await CopyAsync(n => status.Status(string.Create(CultureInfo.InvariantCulture, $"converting: {n:N0} frames"))));
                    }
                    else
                    {
                        await CopyAsync(null);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: keep what was converted, close the output cleanly and report.
                }
            }

            if (!result.GetValue(CommonOptions.Quiet))
            {
                await context.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"convert: {frames} frames from {inputPath} to {outputPath} in {stopwatch.Elapsed.TotalSeconds:F2} s"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
