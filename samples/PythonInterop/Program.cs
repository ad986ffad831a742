// .NET and python-can on one bus: this program sends a request (id 0x123, a counter) and waits for python-can's
// answer (id 0x321, the same bytes reversed), sent by echo.py (the python-can side, see README.md).
//
//   scripts/in-netns.sh bash -c '/usr/bin/python3 samples/PythonInterop/echo.py & sleep 1; dotnet run --project samples/PythonInterop'
using System.Diagnostics;
using CanUdpMulticast;

// The same group, port and hop limit as echo.py. IPv4 keeps the example short; IPv6 groups work the same way.
const string Group = "239.74.163.2";
using var bus = CanBus.Create("udp_multicast", Group, new Dictionary<string, object?> { ["port"] = 43113, ["hop_limit"] = 0 });
bus.SetFilters([new CanFilter(0x321, 0x7FF)]);

var answered = 0;
for (byte i = 0; i < 5; i++)
{
    byte[] request = [i, 0x10, 0x20, 0x30];
    var watch = Stopwatch.StartNew();
    bus.Send(new CanMessage(0x123, request));
    if (bus.Receive(TimeSpan.FromSeconds(2)) is { } answer)
    {
        var expected = request.Reverse().ToArray();
        var ok = answer.Data.SequenceEqual(expected);
        answered += ok ? 1 : 0;
        Console.WriteLine($"123#{Convert.ToHexString(request)} -> 321#{Convert.ToHexString(answer.Data)} in {watch.Elapsed.TotalMilliseconds:0.00} ms {(ok ? "ok" : "WRONG")}");
    }
    else
    {
        Console.WriteLine($"123#{Convert.ToHexString(request)} -> no answer (is echo.py running on the same group?)");
    }
}

Console.WriteLine($"{answered} of 5 answered by python-can");
return answered == 5 ? 0 : 1;
