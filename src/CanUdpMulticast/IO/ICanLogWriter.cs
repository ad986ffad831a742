using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.IO;

/// <summary>
/// Writes frames to a log file (python-can's <c>MessageWriter</c>). It is a listener, so a notifier can feed it;
/// <see cref="ICanListener.Stop"/> and disposal flush and close the file.
/// </summary>
public interface ICanLogWriter : ICanListener, IDisposable, IAsyncDisposable
{
    /// <summary>Writes one frame.</summary>
    /// <param name="message">The frame.</param>
    void Write(in CanMessage message);

    /// <summary>Flushes buffered frames to the file.</summary>
    void Flush();
}
