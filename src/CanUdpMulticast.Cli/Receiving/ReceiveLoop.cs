using System.Diagnostics;

namespace CanUdpMulticast.Cli.Receiving;

/// <summary>
/// Receives frames on a dedicated thread in batches (<see cref="CanBus.ReceiveBatch"/>), so a fast bus is drained
/// with few wake-ups, and checks for cancellation and the idle timeout at least every <see cref="PollInterval"/>.
/// </summary>
internal static class ReceiveLoop
{
    /// <summary>The longest time between two cancellation checks.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs the loop until the handler stops it, the idle timeout passes, the token is cancelled or the bus closes.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="handler">Called with each batch, on the loop's thread.</param>
    /// <param name="idleTimeout">Stop when no frame arrives for this long; <see langword="null"/> never.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>Why it ended.</returns>
    public static Task<ReceiveEnd> RunAsync(CanBus bus, FrameBatchHandler handler, TimeSpan? idleTimeout, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => Run(bus, handler, idleTimeout, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>Runs the loop on the calling thread (see <see cref="RunAsync"/>).</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="handler">Called with each batch.</param>
    /// <param name="idleTimeout">Stop when no frame arrives for this long; <see langword="null"/> never.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>Why it ended.</returns>
    public static ReceiveEnd Run(CanBus bus, FrameBatchHandler handler, TimeSpan? idleTimeout, CancellationToken cancellationToken)
    {
        var batch = new CanMessage[64];
        var lastFrame = Stopwatch.GetTimestamp();
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ReceiveEnd.Cancelled;
            }

            var wait = PollInterval;
            if (idleTimeout is { } idle)
            {
                var remaining = idle - Stopwatch.GetElapsedTime(lastFrame);
                if (remaining <= TimeSpan.Zero)
                {
                    return ReceiveEnd.IdleTimeout;
                }

                wait = remaining < wait ? remaining : wait;
            }

            int count;
            try
            {
                count = bus.ReceiveBatch(batch, wait);
            }
            catch (ObjectDisposedException)
            {
                return ReceiveEnd.BusClosed;
            }

            if (count == 0)
            {
                continue;
            }

            lastFrame = Stopwatch.GetTimestamp();
            if (!handler(batch.AsSpan(0, count)))
            {
                return ReceiveEnd.Stopped;
            }
        }
    }
}
