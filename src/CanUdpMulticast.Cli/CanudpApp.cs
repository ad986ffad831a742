using System.CommandLine;
using System.CommandLine.Invocation;
using CanUdpMulticast.Cli.Commands;
using CanUdpMulticast.Cli.Options;

namespace CanUdpMulticast.Cli;

/// <summary>
/// The <c>canudp</c> application: builds the command tree, parses, runs, and maps every outcome to an exit code
/// (<see cref="ExitCodes"/>). Tests call <see cref="RunAsync"/> in-process with their own <see cref="CliContext"/>.
/// </summary>
internal static class CanudpApp
{
    public const string Name = "canudp";

    /// <summary>Builds the root command.</summary>
    /// <param name="context">The CLI context the commands use.</param>
    /// <returns>The root command.</returns>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(
            "canudp: candump/cansend/cangen-style tools for CAN buses over UDP multicast (python-can's udp_multicast) and any CanUdpMulticast interface.\n" +
            "Start with 'canudp demo'. Exit codes: 0 ok, 1 runtime failure, 2 usage error.");
        root.Options.Add(CommonOptions.Quiet);
        foreach (var command in CommandCatalog.Create(context))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="context">The streams, console and configuration sources.</param>
    /// <param name="cancellationToken">Ctrl+C: commands end cleanly and print their summary.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRoot(context);

        // A closed stdout ends the command as Ctrl+C does: cleanly, with its summary on stderr.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.OutputClosed);
        cancellationToken = linked.Token;
        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            if (args.Length == 0)
            {
                await root.Parse(["--help"]).InvokeAsync(invocation, cancellationToken);
                return ExitCodes.Usage;
            }

            var parsed = root.Parse(args);
            if (parsed.Action is ParseErrorAction || (parsed.Errors.Count > 0 && parsed.Action is null))
            {
                if (UnknownCommand(root, parsed, args) is { } unknown)
                {
                    await context.Error.WriteLineAsync($"{Name}: error: {unknown}");
                }
                else
                {
                    foreach (var error in parsed.Errors)
                    {
                        await context.Error.WriteLineAsync($"{Name}: error: {UsageMessages.Humanize(error.Message)}");
                    }
                }

                await context.Error.WriteLineAsync($"Run '{CommandPath(parsed)} --help' for usage.");
                return ExitCodes.Usage;
            }

            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex) when (UsageMessages.IsConversionFailure(ex))
        {
            // A validator read a value that did not parse: the same usage error the parser would have reported.
            await context.Error.WriteLineAsync($"{Name}: error: {UsageMessages.Humanize(ex.Message)}");
            return ExitCodes.Usage;
        }
        catch (UsageException ex)
        {
            await context.Error.WriteLineAsync($"{Name}: error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is CanException or IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"{Name}: {Describe(ex)}");
            return ExitCodes.Failure;
        }
        finally
        {
            await context.Out.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>"unknown command 'dumpp'; did you mean 'dump'?" when the first word names no command.</summary>
    private static string? UnknownCommand(RootCommand root, ParseResult parsed, string[] args)
    {
        if (parsed.CommandResult.Command is not RootCommand || args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var names = root.Subcommands.Select(c => c.Name).ToList();
        var suggestion = UsageMessages.Closest(args[0], names);
        return suggestion is null
            ? $"unknown command '{args[0]}'. Commands: {string.Join(", ", names)}."
            : $"unknown command '{args[0]}'; did you mean '{suggestion}'?";
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? Name : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Describe(Exception ex)
    {
        var text = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.Contains(inner.Message, StringComparison.Ordinal))
            {
                text += " (" + inner.Message + ")";
            }
        }

        return text;
    }
}
