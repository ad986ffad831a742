using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.IO;

/// <summary>Settings for log readers. Each format uses the settings that apply to it and ignores the others.</summary>
public sealed class CanLogReaderOptions
{
    /// <summary>The default settings.</summary>
    public static CanLogReaderOptions Default { get; } = new();

    /// <summary>What to do with a line that looks like a frame but cannot be parsed. Default: <see cref="InvalidLineHandling.Throw"/>.</summary>
    public InvalidLineHandling InvalidLines { get; init; } = InvalidLineHandling.Throw;

    /// <summary>
    /// The longest line a text reader accepts, in bytes (default 64 KiB). A longer line (a binary file, garbage
    /// without line breaks) stops reading with a <see cref="CanLogFormatException"/>, so memory stays bounded.
    /// </summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>
    /// ASC and TRC: ignore the start time in the file's header, so timestamps count seconds from the start of the
    /// measurement (python-can's <c>ASCReader(relative_timestamp=True)</c>, its default). Default
    /// <see langword="false"/>: timestamps are seconds since the Unix epoch like every other format's.
    /// </summary>
    public bool RelativeTimestamps { get; init; }

    /// <summary>
    /// ASC and TRC: the time zone of the wall-clock start time in the header (ASC <c>date</c> and
    /// <c>Begin Triggerblock</c>, TRC <c>$STARTTIME</c>). Default <see langword="null"/>: the local time zone, as
    /// Vector, PEAK and python-can use.
    /// </summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>ASC: the number base when the file has no <c>base</c> line (python-can's <c>base</c> argument). Default hex.</summary>
    public AscNumberBase AscBase { get; init; } = AscNumberBase.Hex;

    /// <summary>Where skipped invalid lines are logged (warning level); none by default.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Settings of one format beyond these, passed through the format factory (<see cref="CanLogReader.Open(string, CanLogReaderOptions?)"/>):
    /// e.g. <see cref="Blf.BlfReaderOptions"/> or <c>SqliteReaderOptions</c>. The format whose options type it is uses
    /// it (its unset time zone falls back to <see cref="TimeZone"/>); other formats ignore it. Default none.
    /// </summary>
    public object? FormatOptions { get; init; }
}
