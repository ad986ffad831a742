namespace CanUdpMulticast.IO.Blf;

/// <summary>The statistics block at the start of a BLF file (<c>LOGG</c> header), as the writing tool left it.</summary>
/// <remarks>Writers update it when they close the file; a file whose writer did not close cleanly may show zero counts and times.</remarks>
public sealed record BlfFileHeader
{
    /// <summary>The size of the header in bytes (144 in files written by Vector tools and python-can).</summary>
    public int HeaderSize { get; init; }

    /// <summary>The id of the application that wrote the file (python-can and this library write 5).</summary>
    public byte ApplicationId { get; init; }

    /// <summary>The version of the writing application as major.minor.build.</summary>
    public Version ApplicationVersion { get; init; } = new(0, 0, 0);

    /// <summary>The BLF library version the file declares, as major.minor.build.patch.</summary>
    public Version BinaryLogVersion { get; init; } = new(0, 0, 0, 0);

    /// <summary>The file size in bytes the writer recorded.</summary>
    public ulong FileSize { get; init; }

    /// <summary>The size of the header plus all objects uncompressed, in bytes, as the writer recorded it.</summary>
    public ulong UncompressedSize { get; init; }

    /// <summary>The number of objects (frames and other events, not containers) the writer recorded.</summary>
    public uint ObjectCount { get; init; }

    /// <summary>
    /// The time of the first object, in seconds since the Unix epoch, with millisecond resolution (the file keeps
    /// it as a local-time <c>SYSTEMTIME</c>); 0 when the file has none. Object timestamps are offsets from it.
    /// </summary>
    public double StartTimestamp { get; init; }

    /// <summary>The time of the last object, in seconds since the Unix epoch, with millisecond resolution; 0 when the file has none.</summary>
    public double StopTimestamp { get; init; }
}
