namespace CanUdpMulticast.Notifications;

/// <summary>
/// A listener that sends every frame it gets on another bus (python-can's <c>RedirectReader</c>): the building block
/// of a bridge. Two notifiers with a <see cref="RedirectReader"/> each copy the frames both ways.
/// </summary>
/// <remarks>
/// The frame is sent as received (python-can does the same), unless a transform changes or drops it. Mind loops: a
/// bridge between two buses must not see its own forwarded frames again (use two distinct buses, and keep
/// receive-own-messages off on both).
/// </remarks>
public sealed class RedirectReader : ICanListener
{
    private readonly Func<CanMessage, CanMessage?>? _transform;
    private readonly TimeSpan? _sendTimeout;
    private long _forwarded;

    /// <summary>Creates a redirecting listener.</summary>
    /// <param name="bus">The bus to send on.</param>
    /// <param name="transform">Optional: returns the frame to send (e.g. with another id), or <see langword="null"/> to drop it.</param>
    /// <param name="sendTimeout">How long a send may wait for room; <see langword="null"/> (the default) waits as long as needed.</param>
    public RedirectReader(CanBus bus, Func<CanMessage, CanMessage?>? transform = null, TimeSpan? sendTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(bus);
        Bus = bus;
        _transform = transform;
        _sendTimeout = sendTimeout;
    }

    /// <summary>The bus frames are sent on.</summary>
    public CanBus Bus { get; }

    /// <summary>The number of frames sent on <see cref="Bus"/>.</summary>
    public long ForwardedCount => Interlocked.Read(ref _forwarded);

    /// <summary>Sends the frame (or its transformed copy) on <see cref="Bus"/>.</summary>
    /// <param name="message">The frame.</param>
    /// <exception cref="ArgumentException">The (transformed) frame is not valid.</exception>
    /// <exception cref="CanException">The target bus could not send it.</exception>
    /// <exception cref="ObjectDisposedException">The target bus is disposed.</exception>
    public void OnMessageReceived(in CanMessage message)
    {
        if (_transform is null)
        {
            Bus.Send(message, _sendTimeout);
        }
        else if (_transform(message) is { } outgoing)
        {
            Bus.Send(outgoing, _sendTimeout);
        }
        else
        {
            return;
        }

        Interlocked.Increment(ref _forwarded);
    }
}
