using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast.Cli.Bench;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp bench</c>: runs the loopback benchmark harness (benchmarks/CanUdpMulticast.Harness.Runner, the program
/// scripts/bench.sh runs) as a separate program with the given options passed through unchanged: throughput, loss,
/// round-trip time, CPU per frame, fan-out and periodic jitter of this library next to raw sockets and python-can, as
/// one Markdown report on stdout. The tool does not ship the harness (see <see cref="HarnessLocator"/>). It floods
/// multicast groups, so it refuses to run outside the private network namespace of scripts/in-netns.sh.
/// </summary>
internal static class BenchCommand
{
    public const string Name = "bench";

    /// <summary>The variable scripts/in-netns.sh sets to <c>1</c> inside its private network namespace.</summary>
    public const string NamespaceVariable = "CANUDP_NETNS";

    /// <summary>What <c>canudp bench</c> says, with exit code 2, outside the private network namespace.</summary>
    public const string Refusal =
        "bench: refusing to run outside the private network namespace (CANUDP_NETNS is not 1): it floods multicast groups and must not reach a real network. " +
        "Run it as 'scripts/in-netns.sh canudp bench [options]' (or 'scripts/in-netns.sh dotnet run --project src/CanUdpMulticast.Cli -- bench [options]'), " +
        "or use scripts/bench.sh [options], which builds and runs the same harness in the namespace.";

    public static Command Create(CliContext context)
    {
        var harnessOptions = new Argument<string[]>("harness-options")
        {
            Description = "The harness's options, passed through unchanged (e.g. --quick --only rtt,codec --systems lib,python --out report.md); " +
                "'canudp bench -- --help' lists them",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(
            Name,
            "Loopback benchmarks, as scripts/bench.sh runs them: throughput, loss, RTT, CPU per frame vs raw sockets and python-can; a Markdown report. " +
            "Runs the harness of a source checkout (benchmarks/CanUdpMulticast.Harness.Runner, or $" + HarnessLocator.Variable + "); " +
            "only inside the private network namespace: scripts/in-netns.sh canudp bench [options]")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(harnessOptions);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (Environment.GetEnvironmentVariable(NamespaceVariable) != "1")
            {
                await context.Error.WriteLineAsync(Refusal);
                return ExitCodes.Usage;
            }

            var harness = HarnessLocator.Find([Environment.CurrentDirectory, AppContext.BaseDirectory]);
            return await RunAsync(harness, HarnessArguments(result, harnessOptions), context, cancellationToken);
        });
        return command;
    }

    /// <summary>The tokens for the harness: every token after <c>bench</c>, in the order given.</summary>
    /// <param name="result">A parse result whose command is <c>bench</c>.</param>
    /// <param name="argument">The command's pass-through argument.</param>
    /// <returns>The harness command line.</returns>
    public static IReadOnlyList<string> HarnessArguments(ParseResult result, Argument<string[]> argument)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Unknown options land in UnmatchedTokens, plain words in the argument: the original order is the tokens'.
        var passed = new HashSet<string>(result.UnmatchedTokens, StringComparer.Ordinal);
        passed.UnionWith(result.GetValue(argument) ?? []);
        var commandIndex = result.Tokens.ToList().FindIndex(t => t.Value == Name);
        return [.. result.Tokens.Skip(commandIndex + 1).Select(t => t.Value).Where(passed.Contains)];
    }

    private static async Task<int> RunAsync(string harness, IReadOnlyList<string> arguments, CliContext context, CancellationToken cancellationToken)
    {
        var isDll = harness.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isDll ? "dotnet" : harness)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (isDll)
        {
            start.ArgumentList.Add(harness);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bench: the harness did not start: " + harness);
        var copyOut = CopyAsync(process.StandardOutput, context.Out);
        var copyError = CopyAsync(process.StandardError, context.Error);
        // Ctrl+C: the harness stops the running measurement and still writes its report, so it gets SIGINT, not a kill.
        await using (cancellationToken.Register(() => Interrupt(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        await Task.WhenAll(copyOut, copyError);
        await context.Out.FlushAsync(CancellationToken.None);
        return process.ExitCode;
    }

    private static async Task CopyAsync(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            await to.WriteLineAsync(line);
        }
    }

    private static void Interrupt(Process process)
    {
        try
        {
            using var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            process.Kill(entireProcessTree: true);   // no kill(1) here (not Linux/macOS): end it the hard way
        }
    }
}
