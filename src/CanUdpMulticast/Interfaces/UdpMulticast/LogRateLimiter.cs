using System.Diagnostics;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Lets one log message through per interval and counts the ones it holds back, so a flood of bad datagrams (anyone on
/// the link can send them) cannot flood the log. Not thread-safe: each instance is used under the bus's receive lock.
/// </summary>
internal sealed class LogRateLimiter(TimeSpan interval)
{
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
    private long _lastLogged = long.MinValue;
    private long _suppressed;

    /// <summary>The default: one message per 10 seconds per kind of event.</summary>
    public static TimeSpan DefaultInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether to log now; if so, <paramref name="suppressed"/> says how many were held back since the last one.</summary>
    public bool TryAcquire(out long suppressed)
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastLogged != long.MinValue && now - _lastLogged < _intervalTicks)
        {
            _suppressed++;
            suppressed = 0;
            return false;
        }

        _lastLogged = now;
        suppressed = _suppressed;
        _suppressed = 0;
        return true;
    }
}
