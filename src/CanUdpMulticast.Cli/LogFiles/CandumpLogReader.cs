using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.LogFiles;

/// <summary>
/// Reads candump log files (<c>(1700000000.123456) vcan0 123#112233</c>), streaming. The device name becomes the
/// frame's channel, as in python-can's <c>CanutilsLogReader</c>; empty lines are skipped; anything after the frame
/// (newer candump's <c>R</c>/<c>T</c> direction flag) is ignored. A malformed line throws
/// <see cref="FormatException"/> naming the file, the line number and what is wrong.
/// </summary>
internal sealed class CandumpLogReader : ICanLogReader
{
    private readonly Func<TextReader> _open;
    private readonly string _name;
    private bool _used;

    public CandumpLogReader(Func<TextReader> open, string name)
    {
        _open = open;
        _name = name;
    }

    /// <summary>Opens a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The reader (the file is opened when enumeration starts).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CandumpLogReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The log file '{path}' does not exist.", path);
        }

        return new CandumpLogReader(() => new StreamReader(path, System.Text.Encoding.UTF8, false, 1 << 16), path);
    }

    /// <summary>Parses one log line.</summary>
    /// <param name="line">The line.</param>
    /// <param name="message">The frame.</param>
    /// <param name="error">What is wrong, when the result is false.</param>
    /// <returns>Whether the line is a frame.</returns>
    public static bool TryParseLine(ReadOnlySpan<char> line, out CanMessage message, out string error)
    {
        message = default;
        line = line.Trim();
        if (line.Length == 0 || line[0] != '(')
        {
            error = "a log line must start with '(seconds.microseconds)', e.g. (1700000000.123456) vcan0 123#112233";
            return false;
        }

        var close = line.IndexOf(')');
        if (close < 0 || !double.TryParse(line[1..close], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var timestamp))
        {
            error = $"the timestamp '{(close < 0 ? line : line[..(close + 1)])}' must be (seconds.microseconds)";
            return false;
        }

        var rest = line[(close + 1)..].TrimStart();
        var space = rest.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            error = "a log line needs a device name and a frame after the timestamp, e.g. (1700000000.123456) vcan0 123#112233";
            return false;
        }

        var device = rest[..space].ToString();
        rest = rest[space..].TrimStart();
        var end = rest.IndexOfAny(' ', '\t');
        var frameText = end < 0 ? rest : rest[..end];
        if (!CanFrameText.TryParse(frameText, out var frame, out var frameError))
        {
            error = "the frame " + frameError;
            return false;
        }

        message = frame with { Timestamp = timestamp, Channel = device };
        error = string.Empty;
        return true;
    }

    public IEnumerator<CanMessage> GetEnumerator()
    {
        StartOnce();
        using var reader = _open();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, number);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public async IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        StartOnce();
        using var reader = _open();
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, number);
        }
    }

    private CanMessage Parse(string line, int number) =>
        TryParseLine(line, out var message, out var error)
            ? message
            : throw new FormatException($"{_name}:{number}: {error}.");

    private void StartOnce()
    {
        if (_used)
        {
            throw new InvalidOperationException("A log reader can be enumerated once.");
        }

        _used = true;
    }

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
