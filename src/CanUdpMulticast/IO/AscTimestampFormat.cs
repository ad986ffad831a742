namespace CanUdpMulticast.IO;

/// <summary>How an ASC file writes its event times (the <c>base hex  timestamps ...</c> header line).</summary>
public enum AscTimestampFormat
{
    /// <summary>Seconds since the start of the measurement (<c>timestamps absolute</c>; python-can's only choice).</summary>
    Absolute,

    /// <summary>Seconds since the previous event (<c>timestamps relative</c>).</summary>
    Relative,
}
