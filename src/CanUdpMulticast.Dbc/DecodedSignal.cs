using System.Globalization;

namespace CanUdpMulticast.Dbc;

/// <summary>One decoded signal value: raw bits, raw value, physical value and choice name.</summary>
/// <remarks>A plain value: decoding into a <see cref="Span{T}"/> of these allocates nothing.</remarks>
public readonly struct DecodedSignal
{
    internal DecodedSignal(DbcSignal signal, ulong rawBits, double rawValue, double value, string? choiceName)
    {
        Signal = signal;
        RawBits = rawBits;
        RawValue = rawValue;
        Value = value;
        ChoiceName = choiceName;
        IsPresent = true;
    }

    internal DecodedSignal(DbcSignal signal) => Signal = signal;

    /// <summary>The signal; <see langword="null"/> only in a default-initialized value.</summary>
    public DbcSignal Signal { get; }

    /// <summary>
    /// Whether the signal is in the frame: <see langword="false"/> for a multiplexed signal whose switch value does not
    /// select it, or a signal beyond the end of a short payload. The other properties are 0 then.
    /// </summary>
    public bool IsPresent { get; }

    /// <summary>The field bits, zero-extended.</summary>
    public ulong RawBits { get; }

    /// <summary>The raw value: the (signed or unsigned) integer, or the float the bits hold.</summary>
    public double RawValue { get; }

    /// <summary>The physical value: <c>raw * factor + offset</c>.</summary>
    public double Value { get; }

    /// <summary>The name of the raw value in the signal's choices (<c>VAL_</c>), or <see langword="null"/>.</summary>
    public string? ChoiceName { get; }

    /// <summary>The signal's unit.</summary>
    public string Unit => Signal?.Unit ?? string.Empty;

    /// <summary>The value as text: the choice name if any, else the physical value and unit.</summary>
    /// <returns>The text, e.g. <c>1200 rpm</c> or <c>Neutral</c>.</returns>
    public string FormatValue()
    {
        if (!IsPresent)
        {
            return string.Empty;
        }

        if (ChoiceName is not null)
        {
            return ChoiceName;
        }

        var number = Value.ToString("G10", CultureInfo.InvariantCulture);
        return Unit.Length == 0 ? number : number + " " + Unit;
    }

    /// <summary>The signal and its value, e.g. <c>EngineSpeed: 1200 rpm</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Signal?.Name}: {FormatValue()}";
}
