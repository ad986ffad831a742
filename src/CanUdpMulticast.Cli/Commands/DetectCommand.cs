using System.CommandLine;
using System.Globalization;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Registry;
using Spectre.Console;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp detect</c>: list the configurations the registered interfaces find on this host.</summary>
internal static class DetectCommand
{
    public static Command Create(CliContext context)
    {
        var interfaces = new Option<string[]>("--interface", "-i")
        {
            Description = "Probe only these interfaces (repeatable) [default: all registered]",
            HelpName = "name",
        };
        var timeout = CommonOptions.Duration("--timeout", "The time all detectors get together [default: 5 s]", TimeSpan.FromSeconds(1), "-T");
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {interface, channel, options} for scripts" };
        var command = new Command("detect", "List the available bus configurations (DetectAvailableConfigs): a table on a terminal, one line each when piped");
        command.Options.Add(interfaces);
        command.Options.Add(timeout);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var names = result.GetValue(interfaces) is { Length: > 0 } given ? given : null;
            var unknown = names?.Where(n => !context.Registry.Contains(n)).ToList();
            if (unknown is { Count: > 0 })
            {
                throw new UsageException($"unknown interface {string.Join(", ", unknown)}. Known interfaces: {string.Join(", ", context.Registry.Names)}.");
            }

            var configs = await context.Registry.DetectAvailableConfigsAsync(names, result.GetValue(timeout) ?? CanInterfaceRegistry.DefaultDetectionTimeout, cancellationToken: cancellationToken);
            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(ToJson(configs));
            }
            else if (context.OutputIsTerminal)
            {
                context.Console.Write(Render(configs));
            }
            else
            {
                // Piped: plain aligned columns that never wrap (a table would break addresses at the terminal width).
                await context.Out.WriteAsync(ToText(configs));
            }

            if (!result.GetValue(CommonOptions.Quiet))
            {
                await context.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"detect: {configs.Count} configuration(s) from {(names ?? context.Registry.Names).Count} interface(s): {string.Join(", ", names ?? context.Registry.Names)}"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Table Render(IReadOnlyList<BusConfiguration> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("[bold]Interface[/]");
        table.AddColumn("[bold]Channel[/]");
        table.AddColumn("[bold]Options[/]");
        table.AddColumn("[bold]Open with[/]");
        foreach (var config in configs)
        {
            var options = string.Join(", ", config.Options.Select(o => $"{o.Key}={Format(o.Value)}"));
            table.AddRow(
                Markup.Escape(config.Interface ?? string.Empty),
                Markup.Escape(config.Channel ?? "(default)"),
                Markup.Escape(options.Length == 0 ? "-" : options),
                Markup.Escape($"-i {config.Interface}" + (config.Channel is { } c ? $" -c {c}" : string.Empty)));
        }

        if (configs.Count == 0)
        {
            table.AddRow("[dim]none found[/]", string.Empty, string.Empty, string.Empty);
        }

        return table;
    }

    /// <summary>The configurations as a JSON array: <c>[{"interface": ..., "channel": ..., "options": {...}}]</c>.</summary>
    /// <param name="configs">The configurations.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(IReadOnlyList<BusConfiguration> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var config in configs)
            {
                writer.WriteStartObject();
                writer.WriteString("interface", config.Interface);
                writer.WriteString("channel", config.Channel);
                writer.WriteStartObject("options");
                foreach (var (key, value) in config.Options)
                {
                    switch (value)
                    {
                        case null: writer.WriteNull(key); break;
                        case bool b: writer.WriteBoolean(key, b); break;
                        case long or int or short or byte: writer.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                        case double d: writer.WriteNumber(key, d); break;
                        default: writer.WriteString(key, Format(value)); break;
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The configurations as aligned text columns, one configuration per line.</summary>
    /// <param name="configs">The configurations.</param>
    /// <returns>The text, with a header line.</returns>
    public static string ToText(IReadOnlyList<BusConfiguration> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        List<string[]> rows = [["INTERFACE", "CHANNEL", "OPTIONS", "OPEN WITH"]];
        foreach (var config in configs)
        {
            var options = string.Join(",", config.Options.Select(o => $"{o.Key}={Format(o.Value)}"));
            rows.Add([config.Interface ?? string.Empty, config.Channel ?? "(default)", options.Length == 0 ? "-" : options,
                $"-i {config.Interface}" + (config.Channel is { } c ? $" -c {c}" : string.Empty)]);
        }

        var widths = Enumerable.Range(0, 3).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new System.Text.StringBuilder();
        foreach (var row in rows)
        {
            text.Append(row[0].PadRight(widths[0] + 2)).Append(row[1].PadRight(widths[1] + 2)).Append(row[2].PadRight(widths[2] + 2)).Append(row[3]).Append('\n');
        }

        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "None",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
