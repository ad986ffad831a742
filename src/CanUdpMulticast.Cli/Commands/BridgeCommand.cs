using System.CommandLine;
using System.Diagnostics;
using CanUdpMulticast.Cli.Bridge;
using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.Cli.Receiving;
using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Cli.Commands;

/// <summary><c>canudp bridge</c>: copy frames between two buses in both directions (python-can's can.bridge).</summary>
internal static class BridgeCommand
{
    public static Command Create(CliContext context)
    {
        var bus1 = new BusOptionSet(string.Empty, "bus 1");
        var bus2 = new BusOptionSet("bus2-", "bus 2");
        var duration = CommonOptions.Duration("--duration", "Exit after this long [default: until Ctrl+C]", TimeSpan.FromSeconds(1), "-d");

        var command = new Command(
            "bridge",
            "Copy frames between two buses in both directions, e.g. an IPv4 and an IPv6 group, or udp_multicast and virtual. " +
            "Bus 1 takes the usual options (-i, -c, --port, ...), bus 2 the same with a bus2- prefix (--bus2-interface, --bus2-channel, ...).");
        bus1.AddTo(command);
        bus2.AddTo(command);
        command.Options.Add(duration);
        command.SetAction(async (result, cancellationToken) =>
        {
            var config1 = bus1.Resolve(result, context);
            var config2 = bus2.Resolve(result, context);
            if (SameBus(config1, config2))
            {
                throw new UsageException(
                    $"bus 1 and bus 2 are the same bus ({config1.Interface}, channel {config1.Channel ?? "(default)"}): every frame would come back. Give bus 2 another channel, port or interface with --bus2-channel, --bus2-port or --bus2-interface.");
            }

            var first = bus1.Open(config1, context);
            await using (first)
            {
                var second = bus2.Open(config2, context);
                await using (second)
                {
                    return await RunAsync(context, first, second, result.GetValue(duration), result.GetValue(CommonOptions.Quiet), cancellationToken);
                }
            }
        });
        return command;
    }

    /// <summary>Whether two configurations name the same bus (same interface, channel and port).</summary>
    /// <param name="a">The first.</param>
    /// <param name="b">The second.</param>
    /// <returns>Whether they are the same.</returns>
    public static bool SameBus(BusConfiguration a, BusConfiguration b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.TryGetValue(BusOptionSet.PortKey, out var portA);
        b.TryGetValue(BusOptionSet.PortKey, out var portB);
        return string.Equals(a.Interface, b.Interface, StringComparison.Ordinal)
            && string.Equals(a.Channel ?? string.Empty, b.Channel ?? string.Empty, StringComparison.OrdinalIgnoreCase)
            && Equals(portA?.ToString(), portB?.ToString());
    }

    private static async Task<int> RunAsync(CliContext context, CanBus first, CanBus second, TimeSpan? duration, bool quiet, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        if (!quiet)
        {
            await context.Error.WriteLineAsync($"bridge: {first.ChannelInfo} <-> {second.ChannelInfo} (Ctrl+C to stop)");
        }

        var started = Stopwatch.GetTimestamp();
        var oneToTwo = new BridgeDirection("1->2", second);
        var twoToOne = new BridgeDirection("2->1", first);
        var loops = new[]
        {
            ReceiveLoop.RunAsync(first, oneToTwo.Forward, null, stop.Token),
            ReceiveLoop.RunAsync(second, twoToOne.Forward, null, stop.Token),
        };

        // When one side closes, stop the other too.
        await Task.WhenAny(loops);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var elapsed = Stopwatch.GetElapsedTime(started);
        var failures = oneToTwo.SendFailures + twoToOne.SendFailures;
        if (!quiet || failures > 0)
        {
            var echoes = oneToTwo.OwnEchoesDropped + twoToOne.OwnEchoesDropped;
            var echoText = echoes > 0 ? $", {echoes} own echoes not forwarded" : string.Empty;
            var failText = failures > 0 ? $", {failures} could not be sent ({(oneToTwo.FirstError ?? twoToOne.FirstError)?.Message})" : string.Empty;
            await context.Error.WriteLineAsync(
                $"bridge: {Summary.Frames(oneToTwo.Forwarded)} bus 1 -> bus 2, {Summary.Frames(twoToOne.Forwarded)} bus 2 -> bus 1 in {Summary.Seconds(elapsed)}{echoText}{failText}");
        }

        return ExitCodes.Ok;
    }
}
