using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Nats;

/// <summary>
/// Catches the server's refusals of a subscription at the moment NATS.Net's read loop parses them, before that loop
/// goes on to the PONG that follows them.
/// </summary>
/// <remarks>
/// <para>The server answers a refused SUB with <c>-ERR 'Permissions Violation for Subscription to "…"'</c> and sends
/// nothing on success, so a subscription change knows it was accepted only when the PONG of a PING sent after it comes
/// back with no refusal before it. NATS.Net raises its <c>ServerError</c> event later, from one task that delivers
/// every event in turn: on a busy or starved thread pool that can be long after the PONG, when the change has already
/// passed for accepted (and the late refusal would then be blamed on the next change).</para>
/// <para>The read loop logs each server error synchronously ("Server error {Error}", the error text in the
/// <c>Error</c> value), so this class is the NATS client's logger factory: a refusal logged there is recorded before the
/// PONG completes the ping. It forwards nothing: the bus logs server errors itself.</para>
/// </remarks>
internal sealed class NatsSubscribeRefusals : ILoggerFactory, ILogger
{
    private const string Marker = "Permissions Violation for Subscription";

    private readonly ConcurrentQueue<string> _refusals = new();

    /// <summary>Forgets the refusals recorded so far (at the start of a subscription change).</summary>
    public void Clear() => _refusals.Clear();

    /// <summary>Takes the first refusal recorded since <see cref="Clear"/>, if any, and forgets the rest.</summary>
    public string? TakeFirst()
    {
        var first = _refusals.TryDequeue(out var error) ? error : null;
        _refusals.Clear();
        return first;
    }

    /// <summary>Whether <paramref name="error"/> (a server error's text) is a refused subscription.</summary>
    public static bool IsSubscribeRefusal(string error) => error.Contains(Marker, StringComparison.OrdinalIgnoreCase);

    ILogger ILoggerFactory.CreateLogger(string categoryName) => this;

    void ILoggerFactory.AddProvider(ILoggerProvider provider)
    {
        // Nothing is forwarded.
    }

    IDisposable? ILogger.BeginScope<TState>(TState state) => null;

    // Only errors: the client then skips building its debug and trace messages.
    bool ILogger.IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (logLevel < LogLevel.Error || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        foreach (var (key, value) in values)
        {
            if (key == "Error" && value is string error && IsSubscribeRefusal(error))
            {
                _refusals.Enqueue(error);
            }
        }
    }

    void IDisposable.Dispose()
    {
        // Owns nothing.
    }
}
