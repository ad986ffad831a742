using System.CommandLine;
using CanUdpMulticast.Harness;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp bench-role -- ROLE IMPL --key value ...</c> (hidden): one benchmark process of <c>canudp bench</c> (a
/// sender, receiver, pinger, ...). The orchestrator starts it; people do not. Refuses outside the private network
/// namespace, as <c>bench</c> does.
/// </summary>
internal static class BenchRoleCommand
{
    public const string Name = "bench-role";

    public static Command Create(CliContext context)
    {
        var roleArguments = new Argument<string[]>("role-arguments")
        {
            Description = "ROLE IMPL --key value ... as the orchestrator passes them (after --)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(Name, "One benchmark process of 'canudp bench' (started by it)") { Hidden = true };
        command.Arguments.Add(roleArguments);
        command.SetAction(async result =>
        {
            if (!LoopbackHarness.IsInsideNamespace)
            {
                await context.Error.WriteLineAsync(BenchCommand.Refusal);
                return ExitCodes.Usage;
            }

            var args = result.GetValue(roleArguments) ?? [];
            if (args.Length < 2 || !LoopbackHarness.IsRole(args[0]))
            {
                throw new UsageException($"{Name} expects ROLE IMPL [--key value]..., not '{string.Join(' ', args)}'; it is started by 'canudp bench'");
            }

            return LoopbackHarness.RunRole(args);
        });
        return command;
    }
}
