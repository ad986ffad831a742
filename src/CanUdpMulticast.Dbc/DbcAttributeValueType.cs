namespace CanUdpMulticast.Dbc;

#pragma warning disable CA1720 // The members name the DBC value types (INT, FLOAT, STRING; SIG_VALTYPE_ float and double).

/// <summary>The value type of an attribute definition (<c>BA_DEF_</c>).</summary>
public enum DbcAttributeValueType
{
    /// <summary>An integer with a minimum and maximum (<c>INT</c>).</summary>
    Integer,

    /// <summary>An integer written in hexadecimal by tools (<c>HEX</c>); stored as a number.</summary>
    Hex,

    /// <summary>A floating-point number with a minimum and maximum (<c>FLOAT</c>).</summary>
    Float,

    /// <summary>A string (<c>STRING</c>).</summary>
    String,

    /// <summary>One of a list of names (<c>ENUM</c>); values are stored as the index into the list.</summary>
    Enum,
}
