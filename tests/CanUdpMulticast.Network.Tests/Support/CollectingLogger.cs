using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>An <see cref="ILogger"/> that keeps every entry, for asserting event ids and rate limits.</summary>
public sealed class CollectingLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IReadOnlyList<Entry> WithId(int eventId) => [.. _entries.Where(e => e.EventId.Id == eventId)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new Entry(logLevel, eventId, formatter(state, exception), exception));

    public sealed record Entry(LogLevel Level, EventId EventId, string Message, Exception? Exception);
}
