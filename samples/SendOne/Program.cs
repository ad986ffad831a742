// Sends one CAN frame on the UDP multicast bus (python-can's udp_multicast): every process on this host that joined
// the same group receives it, python-can ones included. Hop limit 0 keeps the frame on this host.
//
//   dotnet run --project samples/SendOne [GROUP]        (e.g. 239.74.163.2; default: the interface's IPv6 group)
//   canudp dump -i udp_multicast --hop-limit 0          (in another terminal, to watch it arrive)
using CanUdpMulticast;

var group = args.Length > 0 ? args[0] : null;
using var bus = CanBus.Create("udp_multicast", group, new Dictionary<string, object?> { ["hop_limit"] = 0 });

var frame = new CanMessage(0x123, [0xDE, 0xAD, 0xBE, 0xEF]);
bus.Send(frame);
Console.WriteLine($"sent 123#DEADBEEF on {bus.ChannelInfo}");
