using System.CommandLine;
using CanUdpMulticast.Harness;
using CanUdpMulticast.Harness.Orchestration;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp bench</c>: the loopback benchmark harness (benchmarks/CanUdpMulticast.Harness, the same code
/// scripts/bench.sh runs): throughput, loss, round-trip time, CPU per frame, fan-out and periodic jitter of this library
/// next to raw .NET sockets, raw sendmmsg/recvmmsg and python-can 4.1.0, each side in its own process, reported as one
/// Markdown document on stdout (progress on stderr). Its options are the harness's own (<see cref="LoopbackHarness.Options"/>),
/// passed through unchanged. It opens multicast sockets at full rate, so it refuses to run outside the private network
/// namespace of scripts/in-netns.sh; the benchmark processes it starts are this program again
/// (<see cref="BenchRoleCommand"/>).
/// </summary>
internal static class BenchCommand
{
    public const string Name = "bench";

    /// <summary>What <c>canudp bench</c> says, with exit code 2, outside the private network namespace.</summary>
    public const string Refusal =
        "bench: refusing to run outside the private network namespace (CANUDP_NETNS is not 1): it floods multicast groups and must not reach a real network. " +
        "Run it as 'scripts/in-netns.sh canudp bench [options]' (or 'scripts/in-netns.sh dotnet run --project src/CanUdpMulticast.Cli -- bench [options]'), " +
        "or use scripts/bench.sh [options], which builds and runs the same harness in the namespace.";

    public static Command Create(CliContext context)
    {
        var command = new Command(
            Name,
            "Loopback benchmarks, as scripts/bench.sh runs them: throughput, loss, RTT, CPU per frame vs raw sockets and python-can; a Markdown report. " +
            "Only inside the private network namespace: scripts/in-netns.sh canudp bench [options]");
        foreach (var option in LoopbackHarness.Options)
        {
            command.Options.Add(option.TakesValue
                ? new Option<string>(option.Name) { Description = option.Description, HelpName = option.ValueName }
                : new Option<bool>(option.Name) { Description = option.Description });
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var options = HarnessArguments(result);
            try
            {
                LoopbackHarness.Validate(options);
            }
            catch (HarnessUsageException ex)
            {
                throw new UsageException(ex.Message, ex);
            }

            if (!LoopbackHarness.IsInsideNamespace)
            {
                await context.Error.WriteLineAsync(Refusal);
                return ExitCodes.Usage;
            }

            // The benchmark processes are this program again, in its hidden bench-role command ("--": the role's
            // own --key value pairs are arguments, not canudp options).
            var launcher = context.SelfCommand is { Count: > 0 } self
                ? new RoleLauncher(self[0], [.. self.Skip(1), BenchRoleCommand.Name, "--"])
                : RoleLauncher.ForThisProgram(Path.Combine(AppContext.BaseDirectory, CanudpApp.Name + ".dll"), BenchRoleCommand.Name, "--");
            var log = result.GetValue(Options.CommonOptions.Quiet) ? TextWriter.Null : context.Error;
            return await LoopbackHarness.RunAsync(options, launcher, context.Out, log, cancellationToken) == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>
    /// The harness command line for a parsed <c>canudp bench</c>: each given option as the harness spells it, in the
    /// order of <see cref="LoopbackHarness.Options"/> (the harness lets explicit values win over <c>--quick</c> wherever they stand).
    /// </summary>
    /// <param name="result">A parse result whose command is <c>bench</c>.</param>
    /// <returns>The arguments for <see cref="LoopbackHarness.RunAsync"/>.</returns>
    public static IReadOnlyList<string> HarnessArguments(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var arguments = new List<string>();
        foreach (var harnessOption in LoopbackHarness.Options)
        {
            var option = result.CommandResult.Command.Options.First(o => o.Name == harnessOption.Name);
            if (option is Option<bool> flag)
            {
                if (result.GetValue(flag))
                {
                    arguments.Add(harnessOption.Name);
                }
            }
            else if (result.GetValue((Option<string>)option) is { } value)
            {
                arguments.Add(harnessOption.Name);
                arguments.Add(value);
            }
        }

        return arguments;
    }
}
