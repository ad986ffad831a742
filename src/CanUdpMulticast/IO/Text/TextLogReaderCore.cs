using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.IO.Text;

/// <summary>
/// The shared body of the text log readers: streams lines, hands them to a <see cref="LineParser"/> and applies
/// <see cref="InvalidLineHandling"/>. Enumerable once, synchronously or asynchronously.
/// </summary>
internal sealed partial class TextLogReaderCore : IDisposable
{
    private readonly LineReader _lines;
    private readonly LineParser _parser;
    private readonly CanLogReaderOptions _options;
    private readonly string? _source;
    private readonly ILogger _logger;
    private int _enumerated;

    public TextLogReaderCore(Stream stream, bool leaveOpen, string? source, CanLogReaderOptions? options, LineParser parser)
    {
        _options = options ?? CanLogReaderOptions.Default;
        _source = source;
        _parser = parser;
        _logger = _options.Logger ?? NullLogger.Instance;
        _lines = new LineReader(stream, leaveOpen, _options.MaxLineLength, source);
    }

    /// <summary>The number of broken lines skipped (<see cref="InvalidLineHandling.Skip"/>).</summary>
    public long InvalidLineCount { get; private set; }

    public IEnumerator<CanMessage> GetEnumerator()
    {
        Claim();
        return Enumerate();
    }

    public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken)
    {
        Claim();
        return EnumerateAsync(cancellationToken);
    }

    public void Dispose() => _lines.Dispose();

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
