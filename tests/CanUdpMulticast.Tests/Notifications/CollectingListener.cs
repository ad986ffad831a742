using System.Diagnostics;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.Notifications;

/// <summary>A listener that records frames, errors and stops, and lets a test wait for them.</summary>
internal sealed class CollectingListener : ICanListener
{
    private readonly Lock _gate = new();
    private readonly List<CanMessage> _messages = [];
    private readonly List<Exception> _errors = [];
    private int _stops;

    public IReadOnlyList<CanMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    public int Stops => Volatile.Read(ref _stops);

    public void OnMessageReceived(in CanMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    public void OnError(Exception exception)
    {
        lock (_gate)
        {
            _errors.Add(exception);
        }
    }

    public void Stop() => Interlocked.Increment(ref _stops);

    public bool WaitForMessages(int count) => Wait.Until(() => Messages.Count >= count);

    public bool WaitForErrors(int count) => Wait.Until(() => Errors.Count >= count);
}

internal static class Wait
{
    /// <summary>Polls a condition until it holds or 10 s pass.</summary>
    public static bool Until(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
