using System.Runtime.CompilerServices;
using CanUdpMulticast.Wire;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Turns one received datagram into a frame for the application, or says why not: the bus's own echo, a sender outside the allow-list,
/// a malformed datagram, an FD frame on a non-FD bus. Each rejected datagram is counted once here
/// (in <see cref="UdpMulticastCounters"/>; malformed ones also in <see cref="CanBusStatistics.MalformedFrames"/>) and
/// logged at a limited rate. Never throws for bad input.
/// </summary>
/// <remarks>Used under the <see cref="DatagramReceiver"/>'s lock (the echo cache and the rate limiters are not thread-safe).</remarks>
internal sealed class DatagramDecoder
{
    private readonly UdpMulticastBusOptions _options;
    private readonly UdpMulticastCounters _counters;
    private readonly Action<long> _countMalformed;
    private readonly OwnEchoDetector _ownEchoes;
    private readonly IMulticastTransport _transport;
    private readonly SourceAllowList? _allowedSources;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _malformedLog = new(LogRateLimiter.DefaultInterval);
    private readonly LogRateLimiter _fdLog = new(LogRateLimiter.DefaultInterval);
    private readonly LogRateLimiter _sourceLog = new(LogRateLimiter.DefaultInterval);

    /// <summary>Creates the decoder of one bus.</summary>
    /// <param name="options">The bus options (FD, own messages).</param>
    /// <param name="ownEchoes">Recognises the bus's own frames.</param>
    /// <param name="transport">Told of each own echo skipped (it may filter the next ones in the kernel).</param>
    /// <param name="allowedSources">The senders whose datagrams are decoded; <see langword="null"/> for everyone.</param>
    /// <param name="counters">Where rejected datagrams are counted by reason.</param>
    /// <param name="countMalformed">Counts a malformed datagram in the bus's statistics.</param>
    /// <param name="logger">Where to log.</param>
    public DatagramDecoder(UdpMulticastBusOptions options, OwnEchoDetector ownEchoes, IMulticastTransport transport, SourceAllowList? allowedSources,
        UdpMulticastCounters counters, Action<long> countMalformed, ILogger logger)
    {
        _options = options;
        _ownEchoes = ownEchoes;
        _transport = transport;
        _allowedSources = allowedSources;
        _counters = counters;
        _countMalformed = countMalformed;
        _logger = logger;
    }

    /// <summary>Decodes the datagram in slot <paramref name="index"/> of <paramref name="batch"/>.</summary>
    /// <param name="batch">The received datagrams.</param>
    /// <param name="index">The slot.</param>
    /// <param name="message">The frame, stamped with the receive time, when the result is <see langword="true"/>.</param>
    /// <returns>Whether the datagram is a frame for the application.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryDecode(DatagramBatch batch, int index, out CanMessage message)
    {
        ref var entry = ref batch[index];

        // Not zeroed first (112 bytes a datagram): the decoder writes every field of a frame it returns, and a rejected
        // datagram's contents are never used.
        Unsafe.SkipInit(out message);
        try
        {
            // The bus's own echo is recognised (and skipped) first: it is never counted as anything else.
            var own = _ownEchoes.IsOwn(entry.Source);
            if (own && !_options.ReceiveOwnMessages)
            {
                _counters.AddOwnSkipped();
                _transport.OwnEchoSkipped(entry.Source);
                return false;
            }

            if (!own && _allowedSources is { } allowed && !allowed.Contains(entry.Source))
            {
                SourceRejected(entry.Source);
                return false;
            }

            if (entry.Truncated)
            {
                Malformed(MalformedDatagramReason.Oversized, batch, index);
                return false;
            }

            var reason = WireCodec.Decode(batch.Payload(index), out message);
            if (reason != MalformedDatagramReason.None)
            {
                Malformed(reason, batch, index);
                return false;
            }

            if (message.IsFd && !_options.Fd)
            {
                FdDropped(entry.Source);
                return false;
            }

            CanMessage.SetReception(ref message, entry.Timestamp, isRx: !own);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _counters.AddReceiveError();
            if (_logger.IsEnabled(LogLevel.Error))
            {
                UdpMulticastLog.ProcessingFailed(_logger, entry.Source.ToString(), ex);
            }

            message = default;
            return false;
        }
    }

    private void Malformed(MalformedDatagramReason reason, DatagramBatch batch, int index)
    {
        _counters.AddMalformed(reason);
        _countMalformed(1);
        if (_malformedLog.TryAcquire(out var suppressed) && _logger.IsEnabled(LogLevel.Warning))
        {
            ref var entry = ref batch[index];
            var payload = batch.Payload(index).Span;
            UdpMulticastLog.MalformedDatagram(_logger, entry.Source.ToString(), entry.Truncated ? -1 : entry.Length,
                Convert.ToHexString(payload[..Math.Min(payload.Length, 16)]), reason, suppressed);
        }
    }

    private void FdDropped(in SourceAddress source)
    {
        _counters.AddFdDropped();
        if (_fdLog.TryAcquire(out var suppressed) && _logger.IsEnabled(LogLevel.Information))
        {
            var text = source.ToString();
            UdpMulticastLog.FdFrameDropped(_logger, text, suppressed);
        }
    }

    private void SourceRejected(in SourceAddress source)
    {
        _counters.AddSourceRejected();
        if (_sourceLog.TryAcquire(out var suppressed) && _logger.IsEnabled(LogLevel.Information))
        {
            var text = source.ToString();
            UdpMulticastLog.SourceRejected(_logger, text, suppressed);
        }
    }
}
