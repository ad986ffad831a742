using CanUdpMulticast.IO.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.IO;

/// <summary>
/// The base of the text log readers (candump <c>.log</c>, ASC, CSV, TRC): streams the file line by line (nothing is
/// loaded whole), hands each line to the format's parser and applies <see cref="CanLogReaderOptions.InvalidLines"/>.
/// Enumerable once, synchronously or asynchronously.
/// </summary>
public abstract partial class TextLogReader : ICanLogReader
{
    private readonly LineReader _lines;
    private readonly LineParser _parser;
    private readonly CanLogReaderOptions _options;
    private readonly string? _source;
    private readonly ILogger _logger;
    private int _enumerated;

    /// <summary>Opens a reader.</summary>
    /// <param name="file">A path (a name ending in <c>.gz</c> is decompressed) or a stream positioned at the start of the log.</param>
    /// <param name="options">Reader settings.</param>
    /// <param name="parser">Creates the format's line parser.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    private protected TextLogReader(CanLogFile file, CanLogReaderOptions? options, Func<CanLogReaderOptions, LineParser> parser)
    {
        ArgumentNullException.ThrowIfNull(file);
        _options = options ?? CanLogReaderOptions.Default;
        _source = file.Name;
        _parser = parser(_options);
        _logger = _options.Logger ?? NullLogger.Instance;
        _lines = new LineReader(file.OpenRead(), file.LeaveOpen, _options.MaxLineLength, _source);
    }

    /// <summary>The number of broken lines skipped so far (with <see cref="InvalidLineHandling.Skip"/>).</summary>
    public long InvalidLineCount { get; private set; }

    private protected LineParser Parser => _parser;

    /// <inheritdoc/>
    /// <exception cref="CanLogFormatException">The header is wrong, or a line is broken (with <see cref="InvalidLineHandling.Throw"/>) or too long.</exception>
    /// <exception cref="InvalidOperationException">The reader was enumerated before.</exception>
    public IEnumerator<CanMessage> GetEnumerator()
    {
        Claim();
        return Enumerate();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    /// <exception cref="CanLogFormatException">The header is wrong, or a line is broken (with <see cref="InvalidLineHandling.Throw"/>) or too long.</exception>
    /// <exception cref="InvalidOperationException">The reader was enumerated before.</exception>
    public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Claim();
        return EnumerateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _lines.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _lines.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private IEnumerator<CanMessage> Enumerate()
    {
        while (_lines.ReadLine())
        {
            if (Handle(out var message))
            {
                yield return message;
            }
        }
    }

    private async IAsyncEnumerator<CanMessage> EnumerateAsync(CancellationToken cancellationToken)
    {
        while (await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Handle(out var message))
            {
                yield return message;
            }
        }
    }

    private bool Handle(out CanMessage message)
    {
        var lineNumber = _lines.LineNumber;
        switch (_parser.Parse(_lines.Line, lineNumber, out message, out var error))
        {
            case LineParseResult.Message:
                return true;
            case LineParseResult.Skip:
                return false;
            default:
                error ??= "the line cannot be parsed";
                if (_parser.FatalError is not null || _options.InvalidLines == InvalidLineHandling.Throw)
                {
                    throw new CanLogFormatException(error, _source, lineNumber);
                }

                InvalidLineCount++;
                Log.InvalidLineSkipped(_logger, _source ?? "log", lineNumber, error);
                return false;
        }
    }

    private void Claim()
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A log reader reads its file once; open a new reader to read it again.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "{Source}, line {LineNumber}: skipped a line that cannot be parsed: {Error}")]
        public static partial void InvalidLineSkipped(ILogger logger, string source, long lineNumber, string error);
    }
}
