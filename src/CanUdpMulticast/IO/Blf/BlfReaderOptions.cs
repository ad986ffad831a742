namespace CanUdpMulticast.IO.Blf;

/// <summary>Options of <see cref="BlfReader"/>.</summary>
public sealed record BlfReaderOptions
{
    /// <summary>The default of <see cref="MaxContainerSize"/>: 16 MiB (writers use 128 KiB).</summary>
    public const int DefaultMaxContainerSize = 16 * 1024 * 1024;

    /// <summary>
    /// The largest log container accepted, compressed or uncompressed, in bytes. A container declaring more is
    /// reported as corrupt instead of allocating that much. Vector tools and python-can write 128 KiB containers.
    /// </summary>
    public int MaxContainerSize { get; init; } = DefaultMaxContainerSize;

    /// <summary>
    /// The time zone of the start time in the file header (a <c>SYSTEMTIME</c> in the writer's local time).
    /// <see langword="null"/> (the default) means <see cref="TimeZoneInfo.Local"/>, as python-can.
    /// </summary>
    public TimeZoneInfo? TimeZone { get; init; }

    // The format factory's options: BLF's own (CanLogReaderOptions.FormatOptions) with the general time zone as fallback.
    internal static BlfReaderOptions From(CanLogReaderOptions options)
    {
        var blf = options.FormatOptions as BlfReaderOptions ?? new BlfReaderOptions();
        return blf.TimeZone is null && options.TimeZone is not null ? blf with { TimeZone = options.TimeZone } : blf;
    }
}
