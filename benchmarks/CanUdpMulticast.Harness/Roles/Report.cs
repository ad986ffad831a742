using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>The child-to-orchestrator protocol on stdout: <c>READY</c>, then one <c>RESULT key=value ...</c> line.</summary>
internal static class Report
{
    public static void Ready()
    {
        Console.Out.WriteLine("READY");
        Console.Out.Flush();
    }

    public static void Result(IEnumerable<(string Key, double Value)> fields)
    {
        var line = new StringBuilder("RESULT");
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=').Append(value.ToString("R", CultureInfo.InvariantCulture));
        }

        Console.Out.WriteLine(line.ToString());
        Console.Out.Flush();
    }
}
