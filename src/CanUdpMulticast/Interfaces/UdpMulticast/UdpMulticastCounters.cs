using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The live counters behind <see cref="UdpMulticastStatistics"/>, each event counted once: written while receiving
/// (by the <see cref="DatagramDecoder"/> and <see cref="DatagramReceiver"/>), read by anyone. Kernel drops are counted
/// by the receiver in the bus's <see cref="CanBusStatistics.FramesDropped"/> only.
/// </summary>
internal sealed class UdpMulticastCounters
{
    private static readonly int ReasonCount = Enum.GetValues<MalformedDatagramReason>().Length;

    private readonly long[] _malformed = new long[ReasonCount];
    private long _datagrams;
    private long _ownSkipped;
    private long _fdDropped;
    private long _receiveErrors;
    private long _sourcesRejected;

    public void AddDatagrams(int count) => Interlocked.Add(ref _datagrams, count);

    public void AddOwnSkipped() => Interlocked.Increment(ref _ownSkipped);

    public void AddFdDropped() => Interlocked.Increment(ref _fdDropped);

    public void AddSourceRejected() => Interlocked.Increment(ref _sourcesRejected);

    public void AddReceiveError() => Interlocked.Increment(ref _receiveErrors);

    /// <summary>Counts one malformed datagram; returns the new count for that reason.</summary>
    public long AddMalformed(MalformedDatagramReason reason) => Interlocked.Increment(ref _malformed[(int)reason]);

    /// <summary>Reads the counters.</summary>
    /// <param name="kernelDrops">The kernel drops (kept by the receiver).</param>
    /// <param name="ownFiltered">Own frames a kernel filter dropped (kept by the transport).</param>
    /// <param name="kernelTimestamps">Whether timestamps come from the kernel.</param>
    /// <returns>The snapshot.</returns>
    public UdpMulticastStatistics Snapshot(long kernelDrops, long ownFiltered, bool kernelTimestamps)
    {
        var malformed = new long[_malformed.Length];
        for (var i = 0; i < malformed.Length; i++)
        {
            malformed[i] = Interlocked.Read(ref _malformed[i]);
        }

        return new UdpMulticastStatistics(
            Interlocked.Read(ref _datagrams),
            Interlocked.Read(ref _ownSkipped) + ownFiltered,
            Interlocked.Read(ref _fdDropped),
            kernelDrops,
            Interlocked.Read(ref _receiveErrors),
            Interlocked.Read(ref _sourcesRejected),
            malformed,
            kernelTimestamps);
    }
}
