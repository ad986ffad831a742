using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Periodic;

/// <summary>
/// Decides whether a periodic task goes on after a failed send: it stops when its bus is disposed, when there is no
/// error callback (python-can's behaviour), or when the callback says so or throws; every decision is logged.
/// </summary>
internal sealed partial class CyclicSendErrorPolicy(CanBus bus, uint arbitrationId, Func<Exception, bool>? onError, ILogger logger)
{
    /// <summary>Whether the task goes on after <paramref name="exception"/>; otherwise why it stops.</summary>
    public bool ShouldContinue(Exception exception, out CyclicSendStopReason reason)
    {
        reason = CyclicSendStopReason.Error;
        if (exception is ObjectDisposedException && bus.IsDisposed)
        {
            reason = CyclicSendStopReason.BusDisposed;
            return false;
        }

        if (onError is null)
        {
            Log.SendFailedStopped(logger, arbitrationId, bus.ChannelInfo, exception);
            return false;
        }

        bool goOn;
        try
        {
            goOn = onError(exception);
        }
#pragma warning disable CA1031 // A throwing error callback stops the task; it must not kill the scheduler.
        catch (Exception callbackError)
#pragma warning restore CA1031
        {
            Log.ErrorCallbackFailed(logger, arbitrationId, bus.ChannelInfo, callbackError);
            return false;
        }

        if (goOn)
        {
            Log.SendFailedContinuing(logger, arbitrationId, bus.ChannelInfo, exception);
        }
        else
        {
            Log.SendFailedStoppedByCallback(logger, arbitrationId, bus.ChannelInfo, exception);
        }

        return goOn;
    }


    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Periodic task for id {ArbitrationId} on {Bus} failed to send and stopped")]
        public static partial void SendFailedStopped(ILogger logger, uint arbitrationId, string bus, Exception exception);

        [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "Periodic task for id {ArbitrationId} on {Bus} failed to send; the error callback chose to continue")]
        public static partial void SendFailedContinuing(ILogger logger, uint arbitrationId, string bus, Exception exception);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Periodic task for id {ArbitrationId} on {Bus} failed to send; the error callback stopped it")]
        public static partial void SendFailedStoppedByCallback(ILogger logger, uint arbitrationId, string bus, Exception exception);

        [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "The error callback of the periodic task for id {ArbitrationId} on {Bus} threw; the task stopped")]
        public static partial void ErrorCallbackFailed(ILogger logger, uint arbitrationId, string bus, Exception exception);
    }
}
