using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Testing;

/// <summary>An <see cref="ILoggerFactory"/> whose loggers all write to one logger; remembers the categories asked for.</summary>
public sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
{
    private readonly List<string> _categories = [];

    public IReadOnlyList<string> Categories
    {
        get
        {
            lock (_categories)
            {
                return [.. _categories];
            }
        }
    }

    public ILogger CreateLogger(string categoryName)
    {
        lock (_categories)
        {
            _categories.Add(categoryName);
        }

        return logger;
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
