namespace CanUdpMulticast.IO.Text;

/// <summary>What a line held.</summary>
internal enum LineParseResult
{
    /// <summary>A frame.</summary>
    Message,

    /// <summary>Something the format allows that is not a frame (a comment, a header, an event): skipped silently.</summary>
    Skip,

    /// <summary>A broken line: an error, or skipped and counted, as <see cref="InvalidLineHandling"/> says.</summary>
    Invalid,
}
