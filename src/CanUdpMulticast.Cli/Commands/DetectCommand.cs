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
        var command = new Command("detect", "List the available bus configurations (DetectAvailableConfigs) as a table");
        command.Options.Add(interfaces);
        command.Options.Add(timeout);
        command.SetAction(async (result, cancellationToken) =>
        {
            var names = result.GetValue(interfaces) is { Length: > 0 } given ? given : null;
            var unknown = names?.Where(n => !context.Registry.Contains(n)).ToList();
            if (unknown is { Count: > 0 })
            {
                throw new UsageException($"unknown interface {string.Join(", ", unknown)}. Known interfaces: {string.Join(", ", context.Registry.Names)}.");
            }

            var configs = await context.Registry.DetectAvailableConfigsAsync(names, result.GetValue(timeout), cancellationToken: cancellationToken);
            context.Console.Write(Render(configs));
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

    private static string Format(object? value) => value switch
    {
        null => "None",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
