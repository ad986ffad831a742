namespace CanUdpMulticast.Dbc;

/// <summary>The byte order of a signal: the <c>@1</c> / <c>@0</c> of an <c>SG_</c> line.</summary>
public enum DbcByteOrder
{
    /// <summary>Intel, little endian (<c>@1</c>): the start bit is the least significant bit.</summary>
    LittleEndian = 1,

    /// <summary>Motorola, big endian (<c>@0</c>): the start bit is the most significant bit, in the DBC's sawtooth bit numbering.</summary>
    BigEndian = 0,
}
