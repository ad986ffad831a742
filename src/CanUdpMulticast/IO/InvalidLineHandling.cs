namespace CanUdpMulticast.IO;

/// <summary>What a text log reader does with a line that looks like a frame but cannot be parsed.</summary>
/// <remarks>
/// Lines that the format defines as something else (comments, ASC statistics and events, TRC status lines) are
/// always skipped; this setting is only about broken lines.
/// </remarks>
public enum InvalidLineHandling
{
    /// <summary>Stop reading with a <see cref="CanLogFormatException"/> naming the line (the default, as python-can raises).</summary>
    Throw,

    /// <summary>Skip the line, count it and log it at warning level; reading goes on.</summary>
    Skip,
}
