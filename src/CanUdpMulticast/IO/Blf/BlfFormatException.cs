namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// A BLF file is malformed: wrong signature, truncated, a corrupt compressed container, or an object whose size is
/// impossible. The message and <see cref="FileOffset"/> say where.
/// </summary>
public sealed class BlfFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public BlfFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public BlfFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public BlfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the positions of the problem.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="fileOffset">The byte offset in the file of the object or container that is wrong.</param>
    /// <param name="uncompressedOffset">The byte offset in the uncompressed object stream (the concatenated contents of all log containers), when the problem is inside a container.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BlfFormatException(string message, long fileOffset, long? uncompressedOffset = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FileOffset = fileOffset;
        UncompressedOffset = uncompressedOffset;
    }

    /// <summary>The byte offset in the file of the object or log container where the problem is, or -1 when unknown.</summary>
    public long FileOffset { get; } = -1;

    /// <summary>
    /// The byte offset in the uncompressed object stream (all log containers' contents one after another) where the
    /// problem is, when it lies inside a container; otherwise <see langword="null"/>.
    /// </summary>
    public long? UncompressedOffset { get; }
}
