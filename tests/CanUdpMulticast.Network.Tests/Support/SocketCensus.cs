namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>Counts what this process holds open: sockets (from /proc/self/fd) and bus receive threads (from /proc/self/task).</summary>
public static class SocketCensus
{
    /// <summary>The number of open socket descriptors of this process.</summary>
    public static int OpenSockets() => Directory.EnumerateFiles("/proc/self/fd").Count(fd =>
    {
        try
        {
            return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
        }
        catch (IOException)
        {
            return false; // closed while we looked
        }
    });

    /// <summary>The number of live threads whose name starts like a bus receive thread ("UdpMulticastBus ...", cut to 15 characters by Linux).</summary>
    public static int ReceiveThreads() => Directory.EnumerateDirectories("/proc/self/task").Count(task =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).StartsWith("UdpMulticastBus", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // the thread ended while we looked
        }
    });
}
