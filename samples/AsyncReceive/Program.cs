// Receives with IAsyncEnumerable: `await foreach` over ReadAllAsync, ended by a CancellationToken (Ctrl+C, or a
// time limit), and filters so only ids 0x100..0x1FF arrive.
//
//   dotnet run --project samples/AsyncReceive [SECONDS]
//   canudp gen -i udp_multicast --hop-limit 0 --rate 20           (in another terminal)
using System.Globalization;
using CanUdpMulticast;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
await using var bus = CanBus.Create("udp_multicast", options: new Dictionary<string, object?> { ["hop_limit"] = 0 });
bus.SetFilters([new CanFilter(Id: 0x100, Mask: 0x700)]);

using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

Console.WriteLine($"receiving ids 100..1FF on {bus.ChannelInfo} for {seconds} s (Ctrl+C to stop)");
var count = 0;
try
{
    await foreach (var message in bus.ReadAllAsync(cancellation.Token))
    {
        count++;
        Console.WriteLine($"{message.TimestampUtc:HH:mm:ss.ffffff}  {message.ArbitrationId:X3}  [{message.Dlc}]  {Convert.ToHexString(message.Data)}");
    }
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    // Time is up or Ctrl+C: the enumeration ends with OperationCanceledException.
}

var stats = bus.Statistics;
Console.WriteLine($"{count} frames received, {stats.FramesFilteredOut} filtered out");
