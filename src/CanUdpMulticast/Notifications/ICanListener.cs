namespace CanUdpMulticast.Notifications;

/// <summary>
/// Receives frames from a <c>Notifier</c> (python-can's <c>Listener</c>). Log writers, readers and printers are
/// listeners. Calls come from the notifier's dispatch loop, one at a time.
/// </summary>
public interface ICanListener
{
    /// <summary>Handles one received frame.</summary>
    /// <param name="message">The frame.</param>
    void OnMessageReceived(in CanMessage message);

    /// <summary>Handles an error of the bus or of another listener. The default ignores it.</summary>
    /// <param name="exception">The error.</param>
    void OnError(Exception exception)
    {
    }

    /// <summary>Called once when the notifier stops; flush and release resources here. The default does nothing.</summary>
    void Stop()
    {
    }
}
