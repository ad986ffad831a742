namespace CanUdpMulticast.Cli.Output;

/// <summary>candump's <c>-t</c> timestamp modes.</summary>
internal enum TimestampMode
{
    /// <summary>No timestamp (candump's default).</summary>
    None,

    /// <summary><c>-t a</c>: absolute, <c>(1700000000.123456)</c>.</summary>
    Absolute,

    /// <summary><c>-t A</c>: absolute with local date and time, <c>(2023-11-14 22:13:20.123456)</c>.</summary>
    AbsoluteDate,

    /// <summary><c>-t d</c>: time since the previous frame, <c>(000.010000)</c>.</summary>
    Delta,

    /// <summary><c>-t z</c>: time since the first frame, <c>(012.345678)</c>.</summary>
    Zero,
}
