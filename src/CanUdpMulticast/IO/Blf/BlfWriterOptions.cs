namespace CanUdpMulticast.IO.Blf;

/// <summary>Options of <see cref="BlfWriter"/> (python-can's <c>BLFWriter</c> keyword arguments and more).</summary>
public sealed record BlfWriterOptions
{
    /// <summary>The default of <see cref="MaxContainerSize"/>: 128 KiB, as python-can and Vector tools.</summary>
    public const int DefaultMaxContainerSize = 128 * 1024;

    /// <summary>
    /// The zlib compression level of the log containers: -1 (the default: zlib's default, level 6), 1 (fastest) to
    /// 9 (smallest), or 0 to store containers uncompressed (python-can's <c>compression_level</c>). Compression
    /// dominates the cost of writing: in the benchmark level 1 writes about 8 times faster than the default.
    /// </summary>
    public int CompressionLevel { get; init; } = -1;

    /// <summary>The uncompressed size of a log container in bytes (python-can's <c>max_container_size</c>, 128 KiB).</summary>
    public int MaxContainerSize { get; init; } = DefaultMaxContainerSize;

    /// <summary>
    /// The BLF channel of frames without a channel (python-can's <c>channel</c>, default 1). Frames with a numeric
    /// channel N, or a name ending in digits N (<c>"can0"</c>), are written as BLF channel N + 1, since BLF counts
    /// channels from 1 and python-can's reader subtracts 1.
    /// </summary>
    public int DefaultChannel { get; init; } = 1;

    /// <summary>
    /// Appends to an existing BLF file instead of replacing it (python-can's <c>append</c>): the header is read, new
    /// containers go at the end, and the statistics are updated on close. An empty or missing file is created as usual.
    /// </summary>
    public bool Append { get; init; }

    /// <summary>
    /// Writes CAN FD frames as <c>CAN_FD_MESSAGE_64</c> objects (what current Vector tools log) instead of
    /// <c>CAN_FD_MESSAGE</c> (what python-can writes). Both are read by python-can and Vector tools.
    /// </summary>
    public bool UseCanFdMessage64 { get; init; }

    /// <summary>
    /// The time zone of the start and stop times in the file header (<c>SYSTEMTIME</c> is local time).
    /// <see langword="null"/> (the default) means <see cref="TimeZoneInfo.Local"/>, as python-can.
    /// </summary>
    public TimeZoneInfo? TimeZone { get; init; }

    // The format factory's options: BLF's own (CanLogWriterOptions.FormatOptions), or the general ones mapped.
    internal static BlfWriterOptions From(CanLogWriterOptions options)
    {
        if (options.FormatOptions is BlfWriterOptions blf)
        {
            return blf with { TimeZone = blf.TimeZone ?? options.TimeZone, Append = blf.Append || options.Append };
        }

        return new BlfWriterOptions
        {
            Append = options.Append,
            TimeZone = options.TimeZone,
            DefaultChannel = options.DefaultChannel is { IsNumber: true } channel ? (int)channel.Number : 1,
        };
    }
}
