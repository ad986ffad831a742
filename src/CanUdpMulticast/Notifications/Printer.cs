using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Text;

namespace CanUdpMulticast.Notifications;

/// <summary>
/// python-can's <c>Printer</c>: a listener that writes each frame's <see cref="CanMessage.ToString"/> line to the
/// console, a <see cref="TextWriter"/> or a file. It is also the writer of python-can's <c>.txt</c> log format
/// (write only: python-can has no reader for it either).
/// </summary>
/// <remarks>Not thread-safe: one writer per thread, as a notifier calls its listeners one at a time.</remarks>
public sealed class Printer : ICanLogWriter, IPendingBytes
{
    private readonly TextWriter? _writer;
    private readonly bool _ownsWriter;
    private readonly LogOutput? _output;

    /// <summary>Prints to the console (standard output), as python-can's <c>Printer()</c> does.</summary>
    public Printer()
        : this(Console.Out, leaveOpen: true)
    {
    }

    /// <summary>Prints to a text writer.</summary>
    /// <param name="writer">Where lines go.</param>
    /// <param name="leaveOpen">Whether disposing the printer leaves <paramref name="writer"/> open.</param>
    public Printer(TextWriter writer, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = !leaveOpen;
    }

    /// <summary>Writes to a file (UTF-8, <c>\n</c> line ends; a name ending in <c>.gz</c> is compressed).</summary>
    /// <param name="path">The file; replaced unless <see cref="CanLogWriterOptions.Append"/> is set.</param>
    /// <param name="options">Writer settings.</param>
    public Printer(string path, CanLogWriterOptions? options = null)
        : this(LogFiles.OpenWrite(path, (options ?? CanLogWriterOptions.Default).Append, (options ?? CanLogWriterOptions.Default).CompressionLevel), options, leaveOpen: false)
    {
    }

    /// <summary>Writes to a stream (UTF-8, <c>\n</c> line ends).</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="options">Writer settings.</param>
    /// <param name="leaveOpen">Whether disposing the printer leaves the stream open.</param>
    public Printer(Stream stream, CanLogWriterOptions? options = null, bool leaveOpen = false)
    {
        _output = new LogOutput(stream, leaveOpen, (options ?? CanLogWriterOptions.Default).BufferSize);
    }

    /// <summary>Whether the printer writes to a file or stream rather than a text writer (python-can's <c>write_to_file</c>).</summary>
    public bool WritesToFile => _output is not null;

    long IPendingBytes.PendingBytes => _output?.Pending ?? 0;

    /// <summary>Writes the frame's text and a line end.</summary>
    /// <param name="message">The frame.</param>
    /// <exception cref="ObjectDisposedException">The printer writes to a file and is disposed.</exception>
    public void Write(in CanMessage message)
    {
        var text = message.ToString();
        if (_output is not null)
        {
            _output.Write(text);
            _output.Write("\n"u8);
        }
        else
        {
            _writer!.Write(text);
            _writer.Write('\n');
        }
    }

    /// <inheritdoc/>
    public void OnMessageReceived(in CanMessage message) => Write(message);

    /// <inheritdoc/>
    public void Flush()
    {
        if (_output is not null)
        {
            _output.Flush();
        }
        else
        {
            _writer!.Flush();
        }
    }

    /// <summary>Flushes and closes the file (python-can's <c>stop()</c>).</summary>
    public void Stop() => Dispose();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_output is not null)
        {
            _output.Dispose();
        }
        else if (_ownsWriter)
        {
            _writer!.Dispose();
        }
        else
        {
            _writer!.Flush();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_output is not null)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
        else if (_ownsWriter)
        {
            await _writer!.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _writer!.FlushAsync().ConfigureAwait(false);
        }
    }
}
