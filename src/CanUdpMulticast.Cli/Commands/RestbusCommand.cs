using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast.Cli.Dbc;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Cli.Commands;

/// <summary>
/// <c>canudp restbus --dbc x.dbc [--node N] [--except N]</c>: rest-bus simulation. Sends every message of the chosen
/// nodes at its cycle time with its start values; stdin takes commands (<c>set Msg.Signal value</c>, ...).
/// </summary>
internal static class RestbusCommand
{
    private const string Help = "commands: set MSG.SIGNAL VALUE | get MSG.SIGNAL | send MSG | status | stop | start | quit";

    public static Command Create(CliContext context)
    {
        var bus = new BusOptionSet();
        var dbcFiles = DbcOptions.Create(required: true);
        var nodes = new Option<string[]>("--node") { Description = "Simulate this sender node (repeatable) [default: every node]", HelpName = "name", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var except = new Option<string[]>("--except") { Description = "Do not simulate this node, e.g. the real ECU on the bench (repeatable)", HelpName = "name", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var duration = CommonOptions.Duration("--duration", "Stop after this long [default: until quit or Ctrl+C]", TimeSpan.FromSeconds(1), "-d");
        var status = CommonOptions.Duration("--status-interval", "Print a status line this often on stderr [default: 1 s on a terminal, else never]", TimeSpan.FromSeconds(1));
        var command = new Command("restbus", "Rest-bus simulation: send the messages of DBC nodes at their cycle times; stdin: set MSG.SIGNAL VALUE");
        bus.AddTo(command);
        foreach (var option in new Option[] { dbcFiles, nodes, except, duration, status })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var quiet = result.GetValue(CommonOptions.Quiet);
            var dbc = DbcOptions.Load(result.GetValue(dbcFiles), context, quiet, "restbus")!;
            var options = new RestbusOptions { Nodes = result.GetValue(nodes), ExceptNodes = result.GetValue(except) };
            var statusInterval = result.GetValue(status) ?? (context.OutputIsTerminal ? TimeSpan.FromSeconds(1) : null);
            var (canBus, _) = bus.Open(result, context);
            await using (canBus)
            {
                var simulations = dbc.Databases.Select(db => new RestbusSimulation(canBus, db, options)).ToList();
                try
                {
                    return await RunAsync(context, canBus, simulations, result.GetValue(duration), statusInterval, quiet, cancellationToken);
                }
                finally
                {
                    foreach (var simulation in simulations)
                    {
                        simulation.Dispose();
                    }
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context, CanBus bus, List<RestbusSimulation> simulations, TimeSpan? duration, TimeSpan? statusInterval, bool quiet, CancellationToken cancellationToken)
    {
        var periodic = simulations.SelectMany(s => s.Messages).ToList();
        var once = simulations.SelectMany(s => s.MessagesWithoutCycleTime).ToList();
        if (!quiet)
        {
            await context.Error.WriteLineAsync(
                $"restbus: sending {periodic.Count} messages on {bus.ChannelInfo}: "
                + string.Join(", ", periodic.Select(m => $"{m.Name} every {SignalText.Number(m.CycleTime!.Value.TotalMilliseconds)} ms")));
            if (once.Count > 0)
            {
                await context.Error.WriteLineAsync(
                    $"restbus: not sent periodically (no GenMsgCycleTime): {string.Join(", ", once.Select(m => m.Name))}; 'send MSG' sends one");
            }

            await context.Error.WriteLineAsync($"restbus: {Help}");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var started = Stopwatch.GetTimestamp();
        foreach (var simulation in simulations)
        {
            simulation.Start();
        }

        // Console.In blocks in a system call that cancellation cannot interrupt: the reader runs on its own task and is
        // not awaited when the simulation ends while it waits for a line (the process exits right after).
        var commands = Task.Run(() => ReadCommandsAsync(context, simulations, stop, started), CancellationToken.None);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(statusInterval ?? Timeout.InfiniteTimeSpan, stop.Token);
                if (!quiet)
                {
                    await context.Error.WriteLineAsync(StatusLine(simulations, started));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Duration, quit or Ctrl+C.
        }

        foreach (var simulation in simulations)
        {
            simulation.Stop();
        }

        await Task.WhenAny(commands, Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None));
        if (!quiet)
        {
            await context.Error.WriteLineAsync(StatusLine(simulations, started) + Summary.Losses(bus.Statistics));
        }

        return simulations.Sum(s => s.Errors) > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string StatusLine(List<RestbusSimulation> simulations, long started) => string.Create(
        CultureInfo.InvariantCulture,
        $"restbus: {simulations.Sum(s => s.FramesSent):#,0} frames sent in {Summary.Seconds(Stopwatch.GetElapsedTime(started))} · "
        + $"{simulations.Sum(s => s.Messages.Count)} periodic messages · {simulations.Sum(s => s.SignalChanges)} signal changes · {simulations.Sum(s => s.Errors)} errors");

    private static async Task ReadCommandsAsync(CliContext context, List<RestbusSimulation> simulations, CancellationTokenSource stop, long started)
    {
        while (!stop.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await context.In.ReadLineAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (line is null)
            {
                return;
            }

            var reply = Execute(line.Trim(), simulations, stop, started);
            if (reply is not null)
            {
                lock (context.Out)
                {
                    context.Out.WriteLine(reply);
                    context.Out.Flush();
                }
            }
        }
    }

    /// <summary>Runs one stdin command; returns the reply line (errors start with <c>error:</c>), or null for none.</summary>
    private static string? Execute(string line, List<RestbusSimulation> simulations, CancellationTokenSource stop, long started)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0].StartsWith('#'))
        {
            return null;
        }

        try
        {
            switch (words[0].ToUpperInvariant())
            {
                case "SET" when words.Length == 3:
                {
                    var (simulation, message, signal) = FindSignal(simulations, words[1]);
                    if (!SignalText.TryParseValue(signal, words[2], out var value))
                    {
                        return $"error: {words[1]}: '{words[2]}' is not a number or a choice of the signal";
                    }

                    simulation.SetSignal(message.Name, signal.Name, value);
                    return $"ok {message.Name}.{signal.Name} = {Show(signal, simulation.GetSignal(message.Name, signal.Name))}";
                }

                case "GET" when words.Length == 2:
                {
                    var (simulation, message, signal) = FindSignal(simulations, words[1]);
                    return $"{message.Name}.{signal.Name} = {Show(signal, simulation.GetSignal(message.Name, signal.Name))}";
                }

                case "SEND" when words.Length == 2:
                    FindMessage(simulations, words[1]).Simulation.SendOnce(words[1]);
                    return $"ok sent {words[1]}";
                case "STATUS":
                    return StatusLine(simulations, started);
                case "STOP":
                    simulations.ForEach(s => s.Stop());
                    return "ok stopped";
                case "START":
                    simulations.ForEach(s => s.Start());
                    return "ok started";
                case "QUIT" or "EXIT":
                    stop.Cancel();
                    return "ok quit";
                default:
                    return $"error: '{line}' not understood; {Help}";
            }
        }
        catch (Exception ex) when (ex is KeyNotFoundException or DbcEncodingException)
        {
            return $"error: {ex.Message}";
        }
    }

    private static string Show(DbcSignal signal, double value)
    {
        var raw = (long)Math.Round((value - signal.Offset) / signal.Factor);
        var choice = signal.ValueType == DbcValueType.Integer ? signal.GetChoiceName(raw) : null;
        var text = SignalText.Number(value) + (signal.Unit.Length > 0 ? " " + signal.Unit : string.Empty);
        return choice is null ? text : $"{text} ({choice})";
    }

    private static (RestbusSimulation Simulation, DbcMessage Message) FindMessage(List<RestbusSimulation> simulations, string name)
    {
        foreach (var simulation in simulations)
        {
            if (simulation.Database.TryGetMessage(name, out var message)
                && (simulation.Messages.Contains(message) || simulation.MessagesWithoutCycleTime.Contains(message)))
            {
                return (simulation, message);
            }
        }

        throw new KeyNotFoundException($"message {name} is not part of the simulation");
    }

    private static (RestbusSimulation Simulation, DbcMessage Message, DbcSignal Signal) FindSignal(List<RestbusSimulation> simulations, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            throw new KeyNotFoundException($"'{path}' is not MESSAGE.SIGNAL");
        }

        var (simulation, message) = FindMessage(simulations, path[..dot]);
        var signal = message.FindSignal(path[(dot + 1)..]) ?? throw new KeyNotFoundException($"message {message.Name} has no signal {path[(dot + 1)..]}");
        return (simulation, message, signal);
    }
}
