using System.CommandLine;

namespace CanUdpMulticast.Cli.Options;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    /// <summary><c>-q/--quiet</c>: no summary line (on every command).</summary>
    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print no summary or status lines on stderr",
        Recursive = true,
    };

    /// <summary><c>--color auto|always|never</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<string> Color()
    {
        var option = new Option<string>("--color")
        {
            Description = "Colours: auto (when stdout is a terminal and NO_COLOR is not set), always, never",
            DefaultValueFactory = _ => "auto",
            HelpName = "when",
        };
        option.AcceptOnlyFromAmong("auto", "always", "never");
        return option;
    }

    /// <summary>Whether to colour, from a <see cref="Color"/> value.</summary>
    /// <param name="value">auto, always or never.</param>
    /// <param name="context">The CLI context.</param>
    /// <returns>Whether to use colours.</returns>
    public static bool UseColor(string? value, CliContext context) => value switch
    {
        "always" => true,
        "never" => false,
        _ => context.OutputIsTerminal && !context.NoColorRequested,
    };

    /// <summary>A duration option.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="description">The help text.</param>
    /// <param name="bareUnit">The unit of a bare number.</param>
    /// <param name="aliases">Other names.</param>
    /// <returns>The option.</returns>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan bareUnit, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        CustomParser = DurationParser.Parser(bareUnit),
        HelpName = bareUnit == TimeSpan.FromMilliseconds(1) ? "ms" : "seconds",
    };

    /// <summary>A positive count option.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="description">The help text.</param>
    /// <param name="aliases">Other names.</param>
    /// <returns>The option.</returns>
    public static Option<long?> Count(string name, string description, params string[] aliases)
    {
        var option = new Option<long?>(name, aliases) { Description = description, HelpName = "n" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is { } n && n < 0)
            {
                r.AddError($"{r.IdentifierToken?.Value} must be 0 or more, not {n}.");
            }
        });
        return option;
    }
}
