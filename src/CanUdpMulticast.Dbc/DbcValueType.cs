namespace CanUdpMulticast.Dbc;

#pragma warning disable CA1720 // The members name the DBC value types (INT, FLOAT, STRING; SIG_VALTYPE_ float and double).

/// <summary>How a signal's raw bits are read: as an integer, or as an IEEE 754 float (<c>SIG_VALTYPE_</c>).</summary>
public enum DbcValueType
{
    /// <summary>A signed or unsigned integer (the default).</summary>
    Integer = 0,

    /// <summary>A 32-bit IEEE 754 float (<c>SIG_VALTYPE_ ... : 1</c>); the signal is 32 bits long.</summary>
    Float32 = 1,

    /// <summary>A 64-bit IEEE 754 double (<c>SIG_VALTYPE_ ... : 2</c>); the signal is 64 bits long.</summary>
    Float64 = 2,
}
