namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>The live counters behind <see cref="UdpMulticastStatistics"/>; written while receiving (under the bus's receive lock), read by anyone.</summary>
internal sealed class UdpMulticastCounters
{
    private static readonly int ReasonCount = Enum.GetValues<MalformedDatagramReason>().Length;

    private readonly long[] _malformed = new long[ReasonCount];
    private long _datagrams;
    private long _ownSkipped;
    private long _fdDropped;
    private long _kernelDrops;
    private long _receiveErrors;
    private uint _lastKernelCounter;

    public long KernelDrops => Interlocked.Read(ref _kernelDrops);

    public void AddDatagrams(int count) => Interlocked.Add(ref _datagrams, count);

    public void AddOwnSkipped() => Interlocked.Increment(ref _ownSkipped);

    public void AddFdDropped() => Interlocked.Increment(ref _fdDropped);


    public void AddReceiveError() => Interlocked.Increment(ref _receiveErrors);

    /// <summary>Counts one malformed datagram; returns the new count for that reason.</summary>
    public long AddMalformed(MalformedDatagramReason reason) => Interlocked.Increment(ref _malformed[(int)reason]);

    /// <summary>
    /// Records the kernel's cumulative drop count of the socket (a 32-bit counter that wraps); returns how many drops are new
    /// since the last call. Called under the bus's receive lock only.
    /// </summary>
    public long UpdateKernelDrops(uint cumulative)
    {
        var added = unchecked(cumulative - _lastKernelCounter);
        _lastKernelCounter = cumulative;
        if (added != 0)
        {
            Interlocked.Add(ref _kernelDrops, added);
        }

        return added;
    }

    public UdpMulticastStatistics Snapshot(bool kernelTimestamps)
    {
        var malformed = new long[_malformed.Length];
        for (var i = 0; i < malformed.Length; i++)
        {
            malformed[i] = Interlocked.Read(ref _malformed[i]);
        }

        return new UdpMulticastStatistics(
            Interlocked.Read(ref _datagrams),
            Interlocked.Read(ref _ownSkipped),
            Interlocked.Read(ref _fdDropped),
            Interlocked.Read(ref _kernelDrops),
            Interlocked.Read(ref _receiveErrors),
            malformed,
            kernelTimestamps);
    }
}
