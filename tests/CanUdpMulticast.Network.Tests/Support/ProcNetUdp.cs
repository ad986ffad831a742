using System.Globalization;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>Reads the kernel's per-socket UDP table (/proc/net/udp and udp6) of the current network namespace.</summary>
public static class ProcNetUdp
{
    /// <summary>The datagrams the kernel dropped, summed over every socket bound to a local port (the last column, "drops").</summary>
    /// <param name="port">The local port.</param>
    /// <param name="processId">Only the sockets this process holds open (another process's count, e.g. a bus's socket
    /// filter's, stays out); <see langword="null"/> for every socket.</param>
    /// <returns>The sum, or <see langword="null"/> when the table cannot be read.</returns>
    public static long? DropsOnPort(int port, int? processId = null)
    {
        var inodes = processId is { } pid ? SocketInodes(pid) : null;
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
                if (localPort == port && (inodes is null || inodes.Contains(columns[9])))
                {
                    total += long.Parse(columns[^1], CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    /// <summary>The inodes of the sockets a process holds (its <c>/proc/&lt;pid&gt;/fd</c> links read <c>socket:[inode]</c>).</summary>
    private static HashSet<string> SocketInodes(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target[8..^1]);
            }
        }

        return inodes;
    }
}
