using System.Runtime.InteropServices;
using CanUdpMulticast.Cli;
using CanUdpMulticast.Nats;
using CanUdpMulticast.Registry;

// canudp: see CanudpApp. Ctrl+C (SIGINT) and SIGTERM cancel the running command, which then ends cleanly with its
// summary; a second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
void OnSignal(PosixSignalContext signal)
{
    if (!cancellation.IsCancellationRequested)
    {
        signal.Cancel = true;
        cancellation.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
// Plugins the tool ships with, registered explicitly (AOT-safe): -i nats.
NatsInterface.Register(CanInterfaceRegistry.Default);
var context = CliContext.CreateForProcess();
try
{
    return await CanudpApp.RunAsync(args, context, cancellation.Token);
}
finally
{
    await context.Out.FlushAsync(CancellationToken.None);
    await context.Error.FlushAsync(CancellationToken.None);
}
