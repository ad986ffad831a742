namespace CanUdpMulticast.Notifications;

/// <summary>An entry of the notifier's dispatch queue: a received frame, or an error of a bus to report to the listeners.</summary>
internal readonly struct NotifierEvent(in CanMessage message, Exception? error = null)
{
    public CanMessage Message { get; } = message;

    public Exception? Error { get; } = error;
}
