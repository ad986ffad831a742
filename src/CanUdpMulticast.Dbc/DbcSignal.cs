namespace CanUdpMulticast.Dbc;

/// <summary>
/// A signal of a message (<c>SG_</c>): where its bits are, how raw values scale to physical ones
/// (<c>physical = raw * Factor + Offset</c>), its range, unit, receivers, choices and multiplexing.
/// </summary>
public sealed class DbcSignal
{
    private static readonly IReadOnlyDictionary<long, string> NoChoices = new Dictionary<long, string>();
    private readonly SignalLayout _layout;

    // Null when there are none, so decoding skips the lookup with one test.
    private Dictionary<long, string>? _choices;
    private string?[]? _choiceTable;
    private long _choiceBase;
    private double _rawMinimum;
    private double _rawMaximum;
    private double? _startValue;

    internal DbcSignal(
        string name, int startBit, int length, DbcByteOrder byteOrder, bool isSigned, double factor, double offset,
        double minimum, double maximum, string unit, IReadOnlyList<string> receivers, int messageLength = -1)
    {
        Name = name;
        StartBit = startBit;
        Length = length;
        ByteOrder = byteOrder;
        IsSigned = isSigned;
        Factor = factor;
        Offset = offset;
        Minimum = minimum;
        Maximum = maximum;
        Unit = unit;
        Receivers = receivers;
        _layout = new SignalLayout(startBit, length, byteOrder, messageLength);
    }

    /// <summary>The signal name.</summary>
    public string Name { get; }

    /// <summary>The message the signal belongs to.</summary>
    public DbcMessage Message { get; internal set; } = null!;

    /// <summary>The position of the signal in <see cref="DbcMessage.Signals"/> (and in decode storage).</summary>
    public int Index { get; internal set; }

    /// <summary>The start bit as written in the DBC: the least significant bit for Intel, the most significant for Motorola.</summary>
    public int StartBit { get; }

    /// <summary>The length in bits (1..64).</summary>
    public int Length { get; }

    /// <summary>The byte order.</summary>
    public DbcByteOrder ByteOrder { get; }

    /// <summary>Whether the raw integer is two's complement signed (<c>-</c>) rather than unsigned (<c>+</c>).</summary>
    public bool IsSigned { get; }

    /// <summary>Whether the raw bits are an integer or an IEEE 754 float (<c>SIG_VALTYPE_</c>).</summary>
    public DbcValueType ValueType { get; internal set; }

    /// <summary>The scale factor.</summary>
    public double Factor { get; }

    /// <summary>The offset.</summary>
    public double Offset { get; }

    /// <summary>The physical minimum; with <see cref="Maximum"/> 0 too, the signal has no range (DBC convention).</summary>
    public double Minimum { get; }

    /// <summary>The physical maximum; with <see cref="Minimum"/> 0 too, the signal has no range (DBC convention).</summary>
    public double Maximum { get; }

    /// <summary>Whether <see cref="Minimum"/> and <see cref="Maximum"/> restrict values (they are not both 0).</summary>
    public bool HasRange => Minimum != 0 || Maximum != 0;

    /// <summary>The unit, e.g. <c>rpm</c>; empty when none.</summary>
    public string Unit { get; }

    /// <summary>The receiving nodes.</summary>
    public IReadOnlyList<string> Receivers { get; }

    /// <summary>The value descriptions (<c>VAL_</c>): raw value to name.</summary>
    public IReadOnlyDictionary<long, string> Choices
    {
        get => _choices ?? NoChoices;
        internal set
        {
            _choices = value.Count == 0 ? null : new Dictionary<long, string>(value);
            _choiceTable = null;
            if (_choices is not null && _choices.Keys.Max() - _choices.Keys.Min() is >= 0 and < 4096)
            {
                // Choices usually number a few small consecutive values: an array lookup beats hashing on the decode path.
                _choiceBase = _choices.Keys.Min();
                _choiceTable = new string?[_choices.Keys.Max() - _choiceBase + 1];
                foreach (var (key, name) in _choices)
                {
                    _choiceTable[key - _choiceBase] = name;
                }
            }
        }
    }

    /// <summary>The comment (<c>CM_ SG_</c>), if any.</summary>
    public string? Comment { get; internal set; }

    /// <summary>The signal's attributes.</summary>
    public DbcAttributes Attributes { get; } = new();

    /// <summary>Whether this signal is a multiplexer switch (<c>M</c>, or <c>m&lt;n&gt;M</c> in extended multiplexing).</summary>
    public bool IsMultiplexer { get; internal set; }

    /// <summary>Whether this signal is present only for some values of a multiplexer switch.</summary>
    public bool IsMultiplexed => MultiplexerSwitch is not null;

    /// <summary>The switch that selects this signal, or <see langword="null"/> when the signal is always present.</summary>
    public DbcSignal? MultiplexerSwitch { get; internal set; }

    /// <summary>The raw switch values for which this signal is present (<c>m&lt;n&gt;</c>, or the ranges of <c>SG_MUL_VAL_</c>).</summary>
    public IReadOnlyList<DbcMultiplexRange> MultiplexerRanges => RangeArray;

    /// <summary>The ranges as an array, for the decode loop.</summary>
    internal DbcMultiplexRange[] RangeArray { get; set; } = [];

    /// <summary>
    /// The raw start value (<c>GenSigStartValue</c>, or its default), used by encoding for signals without a value and
    /// by rest-bus simulation; <see langword="null"/> when the file gives none.
    /// </summary>
    public double? StartValue => _startValue;

    /// <summary>The smallest raw integer the field holds (0 for unsigned).</summary>
    public double RawMinimum => _rawMinimum;

    /// <summary>The largest raw integer the field holds.</summary>
    public double RawMaximum => _rawMaximum;

    /// <summary>The multiplexer value from the <c>SG_</c> line (<c>m&lt;n&gt;</c>), kept to write the file back.</summary>
    internal ulong? LineMultiplexValue { get; set; }

    /// <summary>Whether <c>SG_MUL_VAL_</c> gave the switch and ranges (extended multiplexing).</summary>
    internal bool HasExtendedMultiplexing { get; set; }

    /// <summary>The name of the switch from <c>SG_MUL_VAL_</c>, resolved when the database is built.</summary>
    internal string? ExtendedSwitchName { get; set; }

    internal ref readonly SignalLayout Layout => ref _layout;

    /// <summary>Caches what encoding reads per value: the raw field limits and the start value (attributes bound).</summary>
    internal void Resolve()
    {
        _rawMinimum = ValueType != DbcValueType.Integer ? double.NegativeInfinity : IsSigned ? -Math.Pow(2, Length - 1) : 0;
        _rawMaximum = ValueType != DbcValueType.Integer ? double.PositiveInfinity : IsSigned ? Math.Pow(2, Length - 1) - 1 : Math.Pow(2, Length) - 1;
        _startValue = Attributes.GetNumber("GenSigStartValue");
    }

    /// <summary>Reads the raw field of this signal from a payload, zero-extended.</summary>
    /// <param name="data">The payload; at least as long as the field needs.</param>
    /// <returns>The field's bits.</returns>
    /// <exception cref="ArgumentException"><paramref name="data"/> is too short for the field.</exception>
    public ulong ReadRawBits(ReadOnlySpan<byte> data)
    {
        if (data.Length < _layout.RequiredBytes)
        {
            throw new ArgumentException($"Signal {Name} needs {_layout.RequiredBytes} bytes, the payload has {data.Length}.", nameof(data));
        }

        return _layout.Read(data);
    }

    /// <summary>The raw value of the field bits: the integer (signed or unsigned) or the float they hold.</summary>
    /// <param name="bits">The field bits, as <see cref="ReadRawBits"/> returns them.</param>
    /// <returns>The raw value.</returns>
    public double BitsToRaw(ulong bits) => ValueType switch
    {
        DbcValueType.Float32 => BitConverter.Int32BitsToSingle((int)(uint)bits),
        DbcValueType.Float64 => BitConverter.Int64BitsToDouble((long)bits),
        // A field under 64 bits fits a long, whose conversion to double is one instruction (ulong's is not).
        _ => IsSigned ? _layout.SignExtend(bits) : Length < 64 ? (long)bits : bits,
    };

    /// <summary>The integer key of the field bits used by <see cref="Choices"/> (sign-extended for signed signals).</summary>
    /// <param name="bits">The field bits.</param>
    /// <returns>The key.</returns>
    public long BitsToChoiceKey(ulong bits) => IsSigned ? _layout.SignExtend(bits) : (long)bits;

    /// <summary>Decodes this signal's physical value from a payload.</summary>
    /// <param name="data">The payload.</param>
    /// <returns><c>raw * Factor + Offset</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="data"/> is too short for the field.</exception>
    public double Decode(ReadOnlySpan<byte> data) => BitsToRaw(ReadRawBits(data)) * Factor + Offset;

    /// <summary>The name of a raw value in <see cref="Choices"/>, or <see langword="null"/>.</summary>
    /// <param name="raw">The raw integer.</param>
    /// <returns>The name, or <see langword="null"/>.</returns>
    public string? GetChoiceName(long raw)
    {
        if (_choiceTable is { } table)
        {
            var index = (ulong)(raw - _choiceBase);
            return index < (ulong)table.Length ? table[index] : null;
        }

        return _choices is not null && _choices.TryGetValue(raw, out var name) ? name : null;
    }

    /// <summary>Whether the signal has choices (cheaper than <c>Choices.Count</c> on the decode path).</summary>
    internal bool HasChoices => _choices is not null;

    /// <summary>Finds the raw value of a choice name (ordinal, then case-insensitive).</summary>
    /// <param name="name">The choice name.</param>
    /// <param name="raw">The raw value.</param>
    /// <returns><see langword="true"/> when a choice has that name.</returns>
    public bool TryGetChoiceValue(string name, out long raw)
    {
        foreach (var comparison in (ReadOnlySpan<StringComparison>)[StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase])
        {
            foreach (var (key, value) in Choices)
            {
                if (string.Equals(value, name, comparison))
                {
                    raw = key;
                    return true;
                }
            }
        }

        raw = 0;
        return false;
    }

    /// <summary>
    /// Converts a physical value to the field bits: checks it against <see cref="Minimum"/>/<see cref="Maximum"/> (when
    /// the signal has a range) and the raw field, rounds integers to the nearest raw value.
    /// </summary>
    /// <param name="physical">The physical value.</param>
    /// <returns>The field bits.</returns>
    /// <exception cref="DbcEncodingException">The value is NaN, outside the range, or does not fit the field.</exception>
    public ulong PhysicalToBits(double physical)
    {
        if (double.IsNaN(physical))
        {
            throw Reject(physical, "is not a number");
        }

        if (HasRange && (physical < Minimum || physical > Maximum))
        {
            // Tolerate the rounding of a value computed from a raw one (raw * factor + offset at the very edge).
            var slack = Math.Max(Math.Abs(Minimum), Math.Abs(Maximum)) * 1e-12;
            if (physical < Minimum - slack || physical > Maximum + slack)
            {
                throw Reject(physical, $"is outside its range [{DbcFormat.Number(Minimum)}, {DbcFormat.Number(Maximum)}]");
            }
        }

        var raw = (physical - Offset) / Factor;
        return RawToBits(raw, physical);
    }

    /// <summary>Converts a raw value (no scaling, no range check) to the field bits.</summary>
    /// <param name="raw">The raw value: an integer for integer signals (rounded), any number for float signals.</param>
    /// <returns>The field bits.</returns>
    /// <exception cref="DbcEncodingException">The value does not fit the raw field.</exception>
    public ulong RawToBits(double raw) => RawToBits(raw, raw);

    private ulong RawToBits(double raw, double shown)
    {
        switch (ValueType)
        {
            case DbcValueType.Float32:
                return (uint)BitConverter.SingleToInt32Bits((float)raw);
            case DbcValueType.Float64:
                return (ulong)BitConverter.DoubleToInt64Bits(raw);
        }

        if (!double.IsFinite(raw))
        {
            throw Reject(shown, "does not give a finite raw value");
        }

        raw = Math.Round(raw, MidpointRounding.AwayFromZero);
        if (raw < RawMinimum || raw > RawMaximum)
        {
            throw Reject(shown, $"gives raw value {DbcFormat.Number(raw)}, outside the {Length}-bit {(IsSigned ? "signed" : "unsigned")} field");
        }

        if (IsSigned)
        {
            return (ulong)(long)raw & _layout.Mask;
        }

        // (ulong)2^64 would overflow; the check above admits at most 2^64 - 1, which rounds to 2^64 as a double.
        return raw >= 18446744073709551615.0 ? ulong.MaxValue : (ulong)raw;
    }

    private DbcEncodingException Reject(double value, string why) =>
        new($"Signal {Message?.Name}.{Name}: value {DbcFormat.Number(value)} {why}.", Message?.Name, Name);

    /// <summary>The name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
