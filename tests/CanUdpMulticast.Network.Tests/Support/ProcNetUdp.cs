using System.Globalization;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>Reads the kernel's per-socket UDP table (/proc/net/udp and udp6) of the current network namespace.</summary>
public static class ProcNetUdp
{
    /// <summary>The datagrams the kernel dropped, summed over every socket bound to a local port (the last column, "drops").</summary>
    /// <param name="port">The local port.</param>
    /// <returns>The sum, or <see langword="null"/> when the table cannot be read.</returns>
    public static long? DropsOnPort(int port)
    {
        long total = 0;
        foreach (var file in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(file))
            {
                return null;
            }

            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 13)
                {
                    continue;
                }

                var local = columns[1];
                var localPort = int.Parse(local[(local.IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port)
                {
                    total += long.Parse(columns[^1], CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }
}
