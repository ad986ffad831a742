using System.Text;
using CanUdpMulticast.Cli.Output;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.LogFiles;

/// <summary>
/// Writes candump <c>-L</c> / <c>-l</c> log files: <c>(1700000000.123456) vcan0 123#112233</c>, one frame per line,
/// as can-utils (<c>canplayer</c>, <c>log2asc</c>) and python-can's <c>CanutilsLogReader</c> read them.
/// </summary>
internal sealed class CandumpLogWriter : ICanLogWriter
{
    private readonly TextWriter _writer;
    private readonly string _fallbackChannel;
    private readonly StringBuilder _line = new(160);
    private bool _disposed;

    public CandumpLogWriter(TextWriter writer, string fallbackChannel = ChannelLabel.DefaultFallback)
    {
        _writer = writer;
        _fallbackChannel = fallbackChannel;
    }

    /// <summary>Opens (creates or appends to) a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="append">Append instead of replacing.</param>
    /// <param name="fallbackChannel">The device name for frames without a usable channel name.</param>
    /// <returns>The writer.</returns>
    public static CandumpLogWriter Open(string path, bool append, string fallbackChannel)
    {
        var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        return new CandumpLogWriter(new StreamWriter(stream, new UTF8Encoding(false), 1 << 16), fallbackChannel);
    }

    public void Write(in CanMessage message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _line.Clear();
        _line.Append('(');
        CandumpTime.Append(_line, CandumpTime.ToMicroseconds(message.Timestamp), 10);
        _line.Append(") ").Append(ChannelLabel.For(message.Channel, _fallbackChannel)).Append(' ');
        Span<char> text = stackalloc char[CanFrameText.MaxFormattedLength];
        _line.Append(text[..CanFrameText.Format(message, text)]).Append('\n');
        _writer.Write(_line);
    }

    public void OnMessageReceived(in CanMessage message) => Write(message);

    public void Stop() => Dispose();

    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Flush();
        _writer.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
