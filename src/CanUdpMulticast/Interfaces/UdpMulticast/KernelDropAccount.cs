using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Turns the receive socket's cumulative kernel drop count into counted, logged drops: asked for on every statistics
/// read, and from the receive path at most every <see cref="PollSeconds"/> of receive activity (judged by the datagrams'
/// receive times, so without a clock read). Not thread-safe: the owner calls it under its lock.
/// </summary>
internal sealed class KernelDropAccount
{
    // Seconds of receive activity between two asks for the socket's drop count (one getsockopt).
    private const double PollSeconds = 0.1;

    private readonly IMulticastTransport _transport;
    private readonly Action<long> _countDropped;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _log = new(LogRateLimiter.DefaultInterval);
    private uint _lastCounter;   // the kernel's cumulative drop count as last accounted
    private double _nextPoll;    // the receive time from which the receive path asks again

    /// <summary>Creates the account of one receive socket.</summary>
    /// <param name="transport">The socket's transport (<see cref="IMulticastTransport.TryReadKernelDropCounter"/>).</param>
    /// <param name="countDropped">Counts drops in the bus's statistics (the one place they are counted).</param>
    /// <param name="logger">Where the rate-limited warning goes.</param>
    public KernelDropAccount(IMulticastTransport transport, Action<long> countDropped, ILogger logger)
    {
        _transport = transport;
        _countDropped = countDropped;
        _logger = logger;
    }

    /// <summary>The kernel drops counted so far.</summary>
    public long Total { get; private set; }

    /// <summary>Asks the socket once <see cref="PollSeconds"/> of receive time have passed since the last ask (a clock step
    /// back asks at once; a datagram without a time does not ask: with software timestamps every datagram has one).</summary>
    /// <param name="received">The newest datagram's receive time, seconds.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Poll(double received)
    {
        if ((received < _nextPoll && received > _nextPoll - (2 * PollSeconds)) || double.IsNaN(received))
        {
            return;
        }

        _nextPoll = received + PollSeconds;
        if (_transport.TryReadKernelDropCounter(out var cumulative))
        {
            Account(cumulative);
        }
    }

    /// <summary>
    /// Counts the drops new since the last look. The counter is cumulative and wraps at 32 bits; a value older than one
    /// already accounted (read outside the owner's lock while a poll under it was newer) adds nothing.
    /// </summary>
    /// <param name="cumulative">The socket's drop counter.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Account(uint cumulative)
    {
        var added = unchecked((int)(cumulative - _lastCounter));
        if (added <= 0)
        {
            return;
        }

        _lastCounter = cumulative;
        Total += added;
        _countDropped(added);
        if (_log.TryAcquire(out _))
        {
            UdpMulticastLog.KernelDrops(_logger, added, Total);
        }
    }
}
