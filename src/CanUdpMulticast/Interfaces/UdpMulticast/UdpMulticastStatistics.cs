using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// A snapshot of what a <see cref="UdpMulticastBus"/> did with the datagrams it took from the network, in addition to
/// <see cref="CanBus.Statistics"/>: what it dropped and why.
/// </summary>
public sealed class UdpMulticastStatistics
{
    private readonly long[] _malformed;

    internal UdpMulticastStatistics(
        long datagramsReceived,
        long ownFramesSkipped,
        long fdFramesDropped,
        long kernelDrops,
        long receiveErrors,
        long sourcesRejected,
        long[] malformed,
        bool kernelTimestamps)
    {
        DatagramsReceived = datagramsReceived;
        OwnFramesSkipped = ownFramesSkipped;
        FdFramesDropped = fdFramesDropped;
        KernelDrops = kernelDrops;
        ReceiveErrors = receiveErrors;
        SourcesRejected = sourcesRejected;
        _malformed = malformed;
        KernelTimestamps = kernelTimestamps;
        long total = 0;
        foreach (var count in malformed)
        {
            total += count;
        }

        MalformedDatagrams = total;
    }

    /// <summary>Datagrams taken from the socket, whatever became of them.</summary>
    public long DatagramsReceived { get; }

    /// <summary>This bus's own frames, skipped because <see cref="UdpMulticastBusOptions.ReceiveOwnMessages"/> is off:
    /// recognised by their source address before decoding, or dropped in the kernel by the own-echo filter
    /// (<see cref="UdpMulticastBusOptions.FilterOwnEchoesInKernel"/>; those count from their send, so a frame in flight
    /// is included).</summary>
    public long OwnFramesSkipped { get; }

    /// <summary>CAN FD frames dropped because <see cref="UdpMulticastBusOptions.Fd"/> is off.</summary>
    public long FdFramesDropped { get; }

    /// <summary>
    /// Datagrams the kernel dropped because the socket's receive buffer was full (Linux: the socket's drop count, asked
    /// from the socket (<c>SO_MEMINFO</c>) whenever statistics are read and by the receive path at most every 100 ms of
    /// receive activity, so it is current even when no datagram arrived after the loss; always 0 where the platform does
    /// not report it). Own frames the own-echo filter dropped are not in it, though the kernel counts them as socket drops.
    /// The same count as <see cref="CanBusStatistics.FramesDropped"/>.
    /// </summary>
    public long KernelDrops { get; }

    /// <summary>
    /// Datagrams dropped before decoding because their sender is not in <see cref="UdpMulticastBusOptions.AllowedSources"/>.
    /// </summary>
    public long SourcesRejected { get; }

    /// <summary>Socket errors while receiving (each logged, rate-limited, and thrown to the receive call that met it).</summary>
    public long ReceiveErrors { get; }

    /// <summary>Datagrams dropped because they were not valid frames, all reasons together (equals <see cref="CanBusStatistics.MalformedFrames"/>).</summary>
    public long MalformedDatagrams { get; }

    /// <summary>Whether receive timestamps come from the kernel (<see langword="false"/>: from the software clock).</summary>
    public bool KernelTimestamps { get; }

    /// <summary>The malformed datagrams with a non-zero count, by reason.</summary>
    public IReadOnlyDictionary<MalformedDatagramReason, long> MalformedByReason
    {
        get
        {
            var result = new Dictionary<MalformedDatagramReason, long>();
            for (var i = 0; i < _malformed.Length; i++)
            {
                if (_malformed[i] != 0)
                {
                    result[(MalformedDatagramReason)i] = _malformed[i];
                }
            }

            return result;
        }
    }

    /// <summary>How many datagrams were dropped for one reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count (0 for <see cref="MalformedDatagramReason.None"/> and unknown values).</returns>
    public long GetMalformedCount(MalformedDatagramReason reason) =>
        (uint)reason < (uint)_malformed.Length ? _malformed[(int)reason] : 0;

    /// <summary>The counters in one line, for logs.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var malformed = string.Join(", ", MalformedByReason.Select(pair => $"{pair.Key}={pair.Value}"));
        return $"datagrams={DatagramsReceived} ownSkipped={OwnFramesSkipped} fdDropped={FdFramesDropped} kernelDrops={KernelDrops} " +
            $"receiveErrors={ReceiveErrors} sourcesRejected={SourcesRejected} malformed={MalformedDatagrams}" + (malformed.Length > 0 ? $" ({malformed})" : string.Empty);
    }
}
