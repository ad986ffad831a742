namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>
/// The battery's invariant: when frames are lost on the receiving host, the receiver says so. Frames received plus
/// drops the receiver reports equals frames sent; nothing is lost silently.
/// </summary>
public static class LossAccounting
{
    public static void Check(string scenario, long sent, long received, long dropped, string? detail = null)
    {
        FaultReport.Add(scenario, $"sent={sent} received={received} dropped={dropped}{(detail is null ? "" : " " + detail)}");
        (received + dropped).Should().Be(sent,
            $"{scenario}: frames received ({received}) + drops reported ({dropped}) must equal frames sent ({sent}){(detail is null ? "" : "; " + detail)}");
    }

    /// <summary>Drops the kernel counted at the receive queues of this namespace's UDP sockets (/proc/net/udp, last column), a diagnostic.</summary>
    public static long ProcNetUdpDrops(int port)
    {
        long drops = 0;
        foreach (var file in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = columns[1];
                if (Convert.ToInt32(local[(local.IndexOf(':', StringComparison.Ordinal) + 1)..], 16) == port)
                {
                    drops += long.Parse(columns[^1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return drops;
    }
}
