namespace CanUdpMulticast.Cli.Output;

/// <summary>How <c>dump</c> prints a frame.</summary>
internal enum DumpFormat
{
    /// <summary>candump's default: <c>  vcan0  123   [3]  11 22 33</c>.</summary>
    Candump,

    /// <summary>candump <c>-L</c> log lines: <c>(1700000000.123456) vcan0 123#112233</c>.</summary>
    Log,

    /// <summary>python-can's <c>Printer</c>: <see cref="CanMessage.ToString"/>.</summary>
    Python,
}
