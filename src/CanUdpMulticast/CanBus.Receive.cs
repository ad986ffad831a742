using System.Diagnostics;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Diagnostics;

namespace CanUdpMulticast;

// The synchronous receive hot path: TryReceive and ReceiveBatch with their timeout arithmetic, filtering and counting.
// The rest of the public surface is in CanBus.cs; the backend core in CanBus.Backend.cs.
public abstract partial class CanBus
{
    /// <summary>Receives one frame that passes the filters, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="message">The frame, when the result is <see langword="true"/>.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits forever, <see cref="TimeSpan.Zero"/> polls.</param>
    /// <returns>Whether a frame arrived in time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>, which waits forever too).</exception>
    /// <exception cref="ObjectDisposedException">The bus is (or gets) disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReceive(out CanMessage message, TimeSpan? timeout)
    {
        var wait = ToWait(timeout);
        ThrowIfDisposed();

        // Frames the backend already holds first: no clock read and no system call while frames are queued.
        while (TryTakeBufferedFrame(out message))
        {
            if (Accept(message))
            {
                return true;
            }
        }

        var infinite = wait == Timeout.InfiniteTimeSpan;
        var start = infinite ? 0 : Stopwatch.GetTimestamp();

        // The first wait is the whole timeout (the clock has not moved since start in any way that matters, and a wait
        // that starts later only ends later); after that the time left.
        var next = Cap(wait);
        while (true)
        {
            if (ReceiveFrame(out message, next))
            {
                if (Accept(message))
                {
                    return true;
                }

                // Rejected by the filters: look again with the time left (a poll when none is left), so a rejected
                // frame never hides a matching one that is already there.
                ThrowIfDisposed();
                next = Remaining(wait, infinite, start);
                continue;
            }

            ThrowIfDisposed();
            if (!infinite)
            {
                var left = wait - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero)
                {
                    message = default;
                    return false;
                }

                next = Cap(left);
            }
        }
    }

    /// <summary>
    /// Receives up to <c>destination.Length</c> frames that pass the filters: waits up to
    /// <paramref name="timeout"/> for the first, then takes only what is already there.
    /// </summary>
    /// <param name="destination">Where to put the frames. Elements after the returned count may be overwritten too
    /// (they serve as scratch space for frames the filters reject).</param>
    /// <param name="timeout">How long to wait for the first frame; <see langword="null"/> waits forever.</param>
    /// <returns>The number of frames written to the start of <paramref name="destination"/>; 0 on timeout.</returns>
    /// <exception cref="ObjectDisposedException">The bus is (or gets) disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReceiveBatch(Span<CanMessage> destination, TimeSpan? timeout = null)
    {
        ThrowIfDisposed();
        var wait = ToWait(timeout);
        if (destination.IsEmpty)
        {
            return 0;
        }

        var infinite = wait == Timeout.InfiniteTimeSpan;
        var start = infinite ? 0 : Stopwatch.GetTimestamp();
        var next = Cap(wait);
        var count = 0;
        while (true)
        {
            // Wait only for the first accepted frame; after that take only what is already there.
            var requested = destination.Length - count;
            var read = ReceiveFrames(destination[count..], next);
            if (read > 0)
            {
                var kept = KeepAccepted(destination.Slice(count, read));
                count += kept;

                // The backend took everything that was there (fewer than asked, none filtered out): another call would
                // only find the socket empty (one wasted system call per batch).
                if (count == destination.Length || (kept == read && read < requested))
                {
                    return count;
                }

                ThrowIfDisposed();
                next = count == 0 ? Remaining(wait, infinite, start) : TimeSpan.Zero;
                continue;
            }

            if (count > 0)
            {
                return count;
            }

            ThrowIfDisposed();
            if (!infinite)
            {
                var left = wait - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero)
                {
                    return 0;
                }

                next = Cap(left);
            }
        }
    }

    /// <summary>The time left of a receive wait, capped to what one backend wait accepts; zero when none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TimeSpan Remaining(TimeSpan timeout, bool infinite, long start)
    {
        if (infinite)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var remaining = timeout - Stopwatch.GetElapsedTime(start);
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : Cap(remaining);
    }

    /// <summary>A wait capped to what one backend wait accepts (<see cref="Timeout.InfiniteTimeSpan"/> stays as it is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TimeSpan Cap(TimeSpan wait) => wait > MaxSingleWait ? MaxSingleWait : wait;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Accept(in CanMessage message)
    {
        // No call at all without filters (the common case): one call fewer per frame, and nothing left to tier up.
        var filters = Volatile.Read(ref _filters);
        if (filters.Length != 0 && !_filtersAppliedByBackend && !CanFilter.MatchesAny(filters, message))
        {
            _counters.AddFilteredOut();
            return false;
        }

        _counters.AddReceived();
        if (BusMetrics.ReceiveLatency.Enabled)
        {
            RecordReceiveLatency(message);
        }

        return true;
    }

    /// <summary>Keeps the frames the filters pass at the start of <paramref name="frames"/>; counts them once per batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int KeepAccepted(Span<CanMessage> frames)
    {
        ReadOnlySpan<CanFilter> filters = _filtersAppliedByBackend ? [] : Volatile.Read(ref _filters);
        var kept = 0;
        for (var i = 0; i < frames.Length; i++)
        {
            if (filters.Length != 0 && !CanFilter.MatchesAny(filters, frames[i]))
            {
                continue;
            }

            if (kept != i)
            {
                frames[kept] = frames[i];
            }

            kept++;
        }

        if (kept != frames.Length)
        {
            _counters.AddFilteredOut(frames.Length - kept);
        }

        _counters.AddReceived(kept);
        if (BusMetrics.ReceiveLatency.Enabled)
        {
            foreach (ref readonly var frame in frames[..kept])
            {
                RecordReceiveLatency(frame);
            }
        }

        return kept;
    }
}
