namespace CanUdpMulticast.IO;

/// <summary>
/// Reads frames from a log file, streaming (python-can's <c>MessageReader</c>): enumerate once, synchronously or
/// asynchronously; nothing is loaded into memory as a whole.
/// </summary>
public interface ICanLogReader : IEnumerable<CanMessage>, IAsyncEnumerable<CanMessage>, IDisposable, IAsyncDisposable
{
}
