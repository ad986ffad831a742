using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Notifications;

// The notifier's loops: one receive loop per bus feeding the queue, and the one dispatch loop that hands each frame
// to the listeners (the registration and stop logic is in Notifier.cs).
public sealed partial class Notifier
{
    private async Task ReceiveLoopAsync(NotifierBusLoop loop)
    {
        var bus = loop.Bus;
        var token = loop.Cancellation.Token;
        var retryDelay = TimeSpan.Zero;
        while (!token.IsCancellationRequested)
        {
            NotifierEvent item;
            try
            {
                item = new NotifierEvent(await bus.ReceiveAsync(token).ConfigureAwait(false));
                retryDelay = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException) when (bus.IsDisposed)
            {
                Log.BusClosed(_logger, bus.ChannelInfo);
                lock (_gate)
                {
                    _loops.Remove(loop);
                }

                Unregister(bus);
                break;
            }
#pragma warning disable CA1031 // A failing bus is reported to the listeners and retried; the loop must not die.
            catch (Exception e)
#pragma warning restore CA1031
            {
                retryDelay = retryDelay == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                Volatile.Write(ref _lastError, e);
                Log.BusReceiveFailed(_logger, bus.ChannelInfo, retryDelay, e);
                item = new NotifierEvent(default, e);
            }

            try
            {
                await _queue.Writer.WriteAsync(item, token).ConfigureAwait(false);
                if (item.Error is not null)
                {
                    await Task.Delay(retryDelay, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (ChannelClosedException)
            {
                break;
            }
        }
    }

    private async Task DispatchLoopAsync()
    {
        Dispatching.Value = this;
        var reader = _queue.Reader;
        var token = _dispatchCancellation.Token;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (!token.IsCancellationRequested && reader.TryRead(out var item))
                {
                    if (item.Error is { } error)
                    {
                        ReportError(error);
                    }
                    else
                    {
                        await DispatchAsync(item.Message, token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped without waiting for the rest.
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DispatchAsync(CanMessage message, CancellationToken token)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            if (token.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var pending = listener.DeliverAsync(message, token);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A throwing listener must not stop the others nor the loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _lastError, e);
                Log.ListenerFailed(_logger, listener.Name, e);
                ReportError(e);
            }
        }
    }

    /// <summary>Passes an error to every listener object's <see cref="ICanListener.OnError"/> (on the dispatch loop).</summary>
    private void ReportError(Exception error)
    {
        if (Volatile.Read(ref _listenersStopped))
        {
            return;
        }

        foreach (var entry in Volatile.Read(ref _listeners))
        {
            if (entry.Listener is { } listener)
            {
                try
                {
                    listener.OnError(error);
                }
#pragma warning disable CA1031 // An OnError that throws is logged and ignored.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.ListenerOnErrorFailed(_logger, entry.Name, e);
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Listener {Listener} threw while handling a frame; the other listeners and the notifier go on")]
        public static partial void ListenerFailed(ILogger logger, string listener, Exception exception);

        [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Listener {Listener} threw from OnError; ignored")]
        public static partial void ListenerOnErrorFailed(ILogger logger, string listener, Exception exception);

        [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Listener {Listener} threw from Stop; ignored")]
        public static partial void ListenerStopFailed(ILogger logger, string listener, Exception exception);

        [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Receiving from {Bus} failed; the notifier retries in {RetryDelay}")]
        public static partial void BusReceiveFailed(ILogger logger, string bus, TimeSpan retryDelay, Exception exception);

        [LoggerMessage(EventId = 604, Level = LogLevel.Debug, Message = "{Bus} was disposed; it left the notifier")]
        public static partial void BusClosed(ILogger logger, string bus);

        [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "The notifier's loops did not end within {Timeout}")]
        public static partial void StopTimedOut(ILogger logger, TimeSpan timeout);
    }
}
