namespace CanUdpMulticast.IO;

/// <summary>The number base of ids and data bytes in an ASC file (the <c>base hex|dec</c> header line).</summary>
public enum AscNumberBase
{
    /// <summary>Hexadecimal (<c>base hex</c>), the usual base.</summary>
    Hex,

    /// <summary>Decimal (<c>base dec</c>).</summary>
    Dec,
}
