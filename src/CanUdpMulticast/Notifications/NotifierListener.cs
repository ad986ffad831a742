using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Notifications;

/// <summary>One listener of a <see cref="Notifier"/>: an <see cref="ICanListener"/>, a plain delegate or an async handler.</summary>
internal sealed class NotifierListener
{
    private readonly Action<CanMessage>? _action;
    private readonly Func<CanMessage, CancellationToken, ValueTask>? _handler;

    public NotifierListener(ICanListener listener)
    {
        Target = listener;
        Listener = listener;
    }

    public NotifierListener(Action<CanMessage> action)
    {
        Target = action;
        _action = action;
    }

    public NotifierListener(Func<CanMessage, CancellationToken, ValueTask> handler)
    {
        Target = handler;
        _handler = handler;
    }

    /// <summary>What was added (compared with <see cref="object.Equals(object)"/> on removal).</summary>
    public object Target { get; }

    /// <summary>The listener object, when it is one (it gets <c>OnError</c> and <c>Stop</c>).</summary>
    public ICanListener? Listener { get; }

    /// <summary>A name for logs.</summary>
    public string Name => Target is Delegate d ? $"{d.Method.DeclaringType?.Name}.{d.Method.Name}" : Target.GetType().Name;

    /// <summary>Delivers one frame; completes synchronously unless the listener is an async handler that awaits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask DeliverAsync(in CanMessage message, CancellationToken cancellationToken)
    {
        if (Listener is not null)
        {
            Listener.OnMessageReceived(message);
            return default;
        }

        if (_action is not null)
        {
            _action(message);
            return default;
        }

        return _handler!(message, cancellationToken);
    }
}
