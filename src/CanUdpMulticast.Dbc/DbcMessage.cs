namespace CanUdpMulticast.Dbc;

/// <summary>
/// A message (frame) of the database (<c>BO_</c>): id, length, sender, signals; decodes payloads into signal values and
/// encodes signal values into frames.
/// </summary>
public sealed class DbcMessage
{
    private DbcSignal[] _signals = [];
    private int[] _order = [];

    internal DbcMessage(uint id, bool isExtendedId, string name, int length, string sender)
    {
        Id = id;
        IsExtendedId = isExtendedId;
        Name = name;
        Length = length;
        Sender = sender;
    }

    /// <summary>The arbitration id (without the DBC's extended flag, bit 31).</summary>
    public uint Id { get; }

    /// <summary>Whether the id is a 29-bit extended id (bit 31 of the DBC id, or a <c>VFrameFormat</c> saying so).</summary>
    public bool IsExtendedId { get; internal set; }

    /// <summary>The message name.</summary>
    public string Name { get; }

    /// <summary>The length in bytes from the <c>BO_</c> line (0..64).</summary>
    public int Length { get; }

    /// <summary>The sending node (<c>Vector__XXX</c> for none).</summary>
    public string Sender { get; }

    /// <summary>Further transmitters (<c>BO_TX_BU_</c>); empty when the file names none.</summary>
    public IReadOnlyList<string> Transmitters { get; internal set; } = [];

    /// <summary>The signals in file order; <see cref="DbcSignal.Index"/> is the position here.</summary>
    public IReadOnlyList<DbcSignal> Signals => _signals;

    /// <summary>The signal groups (<c>SIG_GROUP_</c>).</summary>
    public IReadOnlyList<DbcSignalGroup> SignalGroups => SignalGroupList;

    /// <summary>The comment (<c>CM_ BO_</c>), if any.</summary>
    public string? Comment { get; internal set; }

    /// <summary>The message's attributes.</summary>
    public DbcAttributes Attributes { get; } = new();

    /// <summary>The cycle time (<c>GenMsgCycleTime</c> in ms, or its default), or <see langword="null"/> when 0 or not given.</summary>
    public TimeSpan? CycleTime => Attributes.GetNumber("GenMsgCycleTime") is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>Whether the message is a CAN FD frame: <c>VFrameFormat</c> names an FD format, or it is longer than 8 bytes.</summary>
    public bool IsFd { get; private set; }

    /// <summary>Whether CAN FD frames of this message use bitrate switching (<c>CANFD_BRS</c> = 1).</summary>
    public bool BitrateSwitch { get; private set; }

    /// <summary>The payload length of encoded frames: <see cref="Length"/>, rounded up to a valid CAN FD length for FD messages.</summary>
    public int FrameLength { get; private set; }

    /// <summary>The first multiplexer switch of the message, or <see langword="null"/> when it is not multiplexed.</summary>
    public DbcSignal? Multiplexer => Array.Find(_signals, s => s.IsMultiplexer);

    internal List<DbcSignalGroup> SignalGroupList { get; } = [];

    internal List<DbcSignal> SignalList { get; } = [];

    /// <summary>Finds a signal by name.</summary>
    /// <param name="name">The signal name (ordinal).</param>
    /// <returns>The signal, or <see langword="null"/>.</returns>
    public DbcSignal? FindSignal(string name) => Array.Find(_signals, s => s.Name == name);

    /// <summary>
    /// Decodes a payload into caller-provided storage without allocating: <c>values[i]</c> receives signal <c>i</c>.
    /// Signals the multiplexer does not select, or beyond the end of a short payload, are marked not present.
    /// </summary>
    /// <param name="data">The payload.</param>
    /// <param name="values">At least <see cref="Signals"/>.Count elements.</param>
    /// <returns>How many signals are present.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is too short.</exception>
    public int Decode(ReadOnlySpan<byte> data, Span<DecodedSignal> values)
    {
        var signals = _signals;
        if (values.Length < signals.Length)
        {
            throw new ArgumentException($"Message {Name} has {signals.Length} signals; the storage holds {values.Length}.", nameof(values));
        }

        var present = 0;
        foreach (var i in _order)
        {
            var s = signals[i];
            ref readonly var layout = ref s.Layout;
            if (data.Length < layout.RequiredBytes || (s.MultiplexerSwitch is { } sw && !IsSelected(s, in values[sw.Index])))
            {
                values[i] = new DecodedSignal(s);
                continue;
            }

            var bits = layout.Read(data);
            var raw = s.BitsToRaw(bits);
            var choice = s.HasChoices ? s.GetChoiceName(s.BitsToChoiceKey(bits)) : null;
            values[i] = new DecodedSignal(s, bits, raw, (raw * s.Factor) + s.Offset, choice);
            present++;
        }

        return present;
    }

    /// <summary>Decodes a frame into a new <see cref="DecodedMessage"/> with its present signals.</summary>
    /// <param name="frame">The frame (its id is not checked against <see cref="Id"/>).</param>
    /// <returns>The decoded message.</returns>
    public DecodedMessage Decode(in CanMessage frame)
    {
        var values = new DecodedSignal[_signals.Length];
        var count = Decode(frame.Data, values);
        var present = new DecodedSignal[count];
        var n = 0;
        foreach (var v in values)
        {
            if (v.IsPresent)
            {
                present[n++] = v;
            }
        }

        return new DecodedMessage(this, frame.Timestamp, present);
    }

    /// <summary>
    /// Encodes physical values into a payload without allocating: <c>values[i]</c> is signal <c>i</c>'s value, NaN for
    /// "not given" (the signal takes its start value, else raw 0). Multiplexed signals are written only when their
    /// switch selects them.
    /// </summary>
    /// <param name="values">One value per signal (<see cref="Signals"/>.Count).</param>
    /// <param name="destination">At least <see cref="FrameLength"/> bytes; the first <see cref="FrameLength"/> are overwritten.</param>
    /// <returns><see cref="FrameLength"/>.</returns>
    /// <exception cref="DbcEncodingException">A value is outside its signal's range or raw field, or a given value
    /// belongs to a multiplexed signal its switch does not select.</exception>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public int Encode(ReadOnlySpan<double> values, Span<byte> destination) => Encode(values, destination, skipUnselected: false);

    /// <summary>As <see cref="Encode(ReadOnlySpan{double}, Span{byte})"/>; with <paramref name="skipUnselected"/>, values of
    /// multiplexed signals the switch does not select are ignored instead of rejected (rest-bus simulation keeps them).</summary>
    internal int Encode(ReadOnlySpan<double> values, Span<byte> destination, bool skipUnselected)
    {
        var signals = _signals;
        if (values.Length < signals.Length)
        {
            throw new ArgumentException($"Message {Name} has {signals.Length} signals; {values.Length} values were given.", nameof(values));
        }

        var length = FrameLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"Message {Name} needs {length} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        var frame = destination[..length];
        frame.Clear();
        Span<ulong> bits = signals.Length <= 128 ? stackalloc ulong[signals.Length] : new ulong[signals.Length];
        Span<bool> written = signals.Length <= 128 ? stackalloc bool[signals.Length] : new bool[signals.Length];
        foreach (var i in _order)
        {
            var s = signals[i];
            var value = values[i];
            if (s.MultiplexerSwitch is { } sw && !(written[sw.Index] && Selects(s, bits[sw.Index])))
            {
                if (!double.IsNaN(value) && !skipUnselected)
                {
                    throw new DbcEncodingException(
                        $"Signal {Name}.{s.Name} is not in this frame: its multiplexer {sw.Name} does not select it.", Name, s.Name);
                }

                continue;
            }

            var b = !double.IsNaN(value) ? s.PhysicalToBits(value) : s.StartValue is { } start ? s.RawToBits(start) : 0UL;
            s.Layout.Write(frame, b);
            bits[i] = b;
            written[i] = true;
        }

        return length;
    }

    /// <summary>Encodes signal values given by name into a frame; signals not named take their start value, else raw 0.</summary>
    /// <param name="values">Signal name to physical value.</param>
    /// <returns>A valid frame with this message's id, flags and <see cref="FrameLength"/>.</returns>
    /// <exception cref="DbcEncodingException">A name is not a signal of this message, or a value cannot be encoded.</exception>
    public CanMessage Encode(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = new double[_signals.Length];
        Array.Fill(array, double.NaN);
        foreach (var (name, value) in values)
        {
            var signal = FindSignal(name)
                ?? throw new DbcEncodingException($"Message {Name} has no signal {name}.", Name, name);
            if (double.IsNaN(value))
            {
                throw new DbcEncodingException($"Signal {Name}.{name}: value is not a number.", Name, name);
            }

            array[signal.Index] = value;
        }

        Span<byte> data = stackalloc byte[CanDlc.MaxFdLength];
        var length = Encode(array, data);
        return CreateFrame(data[..length]);
    }

    /// <summary>A frame of this message with the given payload: id, extended, FD and bitrate-switch flags set.</summary>
    /// <param name="data">The payload.</param>
    /// <returns>The frame.</returns>
    public CanMessage CreateFrame(ReadOnlySpan<byte> data) =>
        new(Id, data, IsExtendedId) { IsFd = IsFd, BitrateSwitch = BitrateSwitch };

    /// <summary>The name, id and length.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} (0x{Id:X}{(IsExtendedId ? "x" : string.Empty)}, {Length} bytes)";

    /// <summary>Reads the frame format from the attributes, once they are bound to their definitions.</summary>
    internal void ResolveFrameFormat()
    {
        IsFd = Length > 8 || (Attributes.GetText("VFrameFormat")?.EndsWith("_FD", StringComparison.Ordinal) ?? false);
        BitrateSwitch = IsFd && Attributes.GetText("CANFD_BRS") == "1";
        FrameLength = IsFd ? CanDlc.ToLength(CanDlc.ToCode(Length)) : Length;
    }

    internal void Seal(List<DbcWarning> warnings, int line)
    {
        _signals = [.. SignalList];
        for (var i = 0; i < _signals.Length; i++)
        {
            _signals[i].Index = i;
            _signals[i].Message = this;
        }

        _order = DecodeOrder(warnings, line);
    }

    private static bool IsSelected(DbcSignal signal, in DecodedSignal switchValue) =>
        switchValue.IsPresent && Selects(signal, switchValue.RawBits);

    private static bool Selects(DbcSignal signal, ulong switchBits)
    {
        foreach (var range in signal.RangeArray)
        {
            if (range.Contains(switchBits))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Switches before the signals they select, so one pass decodes nested (extended) multiplexing.</summary>
    private int[] DecodeOrder(List<DbcWarning> warnings, int line)
    {
        var order = new List<int>(_signals.Length);
        var placed = new bool[_signals.Length];
        while (order.Count < _signals.Length)
        {
            var progress = false;
            for (var i = 0; i < _signals.Length; i++)
            {
                var sw = _signals[i].MultiplexerSwitch;
                if (!placed[i] && (sw is null || placed[sw.Index]))
                {
                    placed[i] = true;
                    order.Add(i);
                    progress = true;
                }
            }

            if (!progress)
            {
                // A multiplexer cycle: treat the rest as not multiplexed rather than loop forever.
                for (var i = 0; i < _signals.Length; i++)
                {
                    if (!placed[i])
                    {
                        warnings.Add(new DbcWarning(line, $"message {Name}: signal {_signals[i].Name} is in a multiplexer cycle; treated as not multiplexed"));
                        _signals[i].MultiplexerSwitch = null;
                        placed[i] = true;
                        order.Add(i);
                    }
                }
            }
        }

        return [.. order];
    }
}
