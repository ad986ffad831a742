using System.IO.Compression;

namespace CanUdpMulticast.IO;

/// <summary>Settings for log writers. Each format uses the settings that apply to it and ignores the others.</summary>
public sealed class CanLogWriterOptions
{
    /// <summary>The default settings.</summary>
    public static CanLogWriterOptions Default { get; } = new();

    /// <summary>
    /// Append to an existing file instead of replacing it (python-can's <c>append</c>): candump <c>.log</c>, CSV
    /// (no second header line) and printer <c>.txt</c>. ASC and TRC files carry one header and reject appending
    /// with <see cref="NotSupportedException"/>, as python-can's ASC writer does.
    /// </summary>
    public bool Append { get; init; }

    /// <summary>
    /// The channel written for a frame without one. <see langword="null"/> (the default) uses python-can's
    /// default for the format: <c>vcan0</c> for candump <c>.log</c>, channel 1 for ASC and TRC (their numbering
    /// starts at 1).
    /// </summary>
    public CanChannel? DefaultChannel { get; init; }

    /// <summary>ASC and TRC: the time zone of the wall-clock start time written in the header. Default: local.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>ASC: absolute (since the measurement start, python-can's choice and the default) or relative (since the previous event) times.</summary>
    public AscTimestampFormat AscTimestamps { get; init; } = AscTimestampFormat.Absolute;

    /// <summary>The compression level of <c>.gz</c> files. Default <see cref="CompressionLevel.Optimal"/>.</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>The size of the writer's buffer in bytes (default 64 KiB); frames reach the file when it fills, on <see cref="ICanLogWriter.Flush"/> and on disposal.</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>The clock for header dates of files without frames and for rotated file names. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Settings of one format beyond these, passed through the format factory (<see cref="CanLogWriter.Create(string, CanLogWriterOptions?)"/>):
    /// e.g. <see cref="Blf.BlfWriterOptions"/> or <c>SqliteWriterOptions</c>. The format whose options type it is uses
    /// them as given, except that an unset time zone falls back to <see cref="TimeZone"/> and <see cref="Append"/> set
    /// here also appends. Without them, BLF takes <see cref="Append"/>, <see cref="TimeZone"/> and a numeric
    /// <see cref="DefaultChannel"/> from these settings. Other formats ignore them. Default none.
    /// </summary>
    public object? FormatOptions { get; init; }
}
