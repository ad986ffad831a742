using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CanUdpMulticast;

/// <summary>
/// One CAN or CAN FD frame: python-can's <c>Message</c> as an immutable value type with inline
/// storage for up to 64 data bytes, so sending and receiving need no heap allocation.
/// </summary>
/// <remarks>
/// <para>Set fields with an object initializer or a <c>with</c> expression:
/// <c>new CanMessage { ArbitrationId = 0x123, Data = [1, 2, 3] }</c>.</para>
/// <para><see cref="Dlc"/> is the data length in bytes (python-can's meaning); it follows the length of
/// <see cref="Data"/> unless set explicitly (a remote frame sets it without data). Use
/// <see cref="DlcCode"/> for the 4-bit code on the wire of a real bus.</para>
/// <para>Differences from python-can's defaults: <see cref="IsExtendedId"/> defaults to <see langword="false"/>
/// (python-can: <c>True</c>); <see cref="IsRx"/> defaults to <see langword="true"/> as in python-can.
/// Construction does not validate (python-can's <c>check=False</c>); call <see cref="Validate"/> or
/// <see cref="GetValidationError"/>. Buses validate every frame they send.</para>
/// <para>The struct is about 110 bytes: pass it by <see langword="in"/> on hot paths.</para>
/// </remarks>
public readonly struct CanMessage : IEquatable<CanMessage>
{
    private const ushort ExtendedFlag = 1 << 0;
    private const ushort RemoteFlag = 1 << 1;
    private const ushort ErrorFlag = 1 << 2;
    private const ushort FdFlag = 1 << 3;
    private const ushort BitrateSwitchFlag = 1 << 4;
    private const ushort ErrorStateIndicatorFlag = 1 << 5;
    private const ushort TxFlag = 1 << 6;

    private readonly double _timestamp;
    private readonly uint _arbitrationId;
    private readonly ushort _flags;
    private readonly byte _length;

    // 0 means "Dlc follows the data length"; otherwise Dlc + 1.
    private readonly byte _dlcPlusOne;
    private readonly CanChannel _channel;
    private readonly DataBuffer _data;

    /// <summary>Creates a frame with an id and data.</summary>
    /// <param name="arbitrationId">The 11-bit or 29-bit identifier.</param>
    /// <param name="data">0..64 data bytes (copied).</param>
    /// <param name="isExtendedId">Whether the id is a 29-bit extended id.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is longer than 64 bytes.</exception>
    public CanMessage(uint arbitrationId, ReadOnlySpan<byte> data, bool isExtendedId = false)
    {
        _arbitrationId = arbitrationId;
        _flags = isExtendedId ? ExtendedFlag : (ushort)0;
        Data = data;
    }

    /// <summary>
    /// Every field at once, for decoders on the receive path: one write per field instead of an initializer's copy per
    /// property. No checks beyond the caller's: <paramref name="data"/> is at most 64 bytes and <paramref name="dlc"/> 0..64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal CanMessage(
        uint arbitrationId, ReadOnlySpan<byte> data, int dlc, double timestamp, CanChannel channel,
        bool isExtendedId, bool isRemoteFrame, bool isErrorFrame, bool isFd, bool bitrateSwitch, bool errorStateIndicator)
    {
        Debug.Assert(data.Length <= CanDlc.MaxFdLength && dlc is >= 0 and <= CanDlc.MaxFdLength, "checked by the decoder");
        _timestamp = timestamp;
        _arbitrationId = arbitrationId;
        _flags = (ushort)((isExtendedId ? ExtendedFlag : 0) | (isRemoteFrame ? RemoteFlag : 0) | (isErrorFrame ? ErrorFlag : 0)
            | (isFd ? FdFlag : 0) | (bitrateSwitch ? BitrateSwitchFlag : 0) | (errorStateIndicator ? ErrorStateIndicatorFlag : 0));
        _length = (byte)data.Length;
        _dlcPlusOne = (byte)(dlc + 1);
        _channel = channel;

        // A classic frame's few bytes by hand: no call to the runtime's memmove (which a saturated receiver otherwise
        // sees tiered up by the JIT long after its start).
        if (data.Length <= CanDlc.MaxClassicLength)
        {
            Span<byte> target = _data;
            for (var i = 0; i < data.Length; i++)
            {
                target[i] = data[i];
            }
        }
        else
        {
            data.CopyTo(_data);
        }
    }

    /// <summary>
    /// Sets the receive-side fields of a frame in place, for the receive paths: a <c>with</c> expression copies the whole
    /// 112-byte struct for each property it sets.
    /// </summary>
    /// <param name="message">The frame, in a location the caller owns.</param>
    /// <param name="timestamp">The receive time.</param>
    /// <param name="isRx">Whether it was received (rather than sent by this node).</param>
    internal static void SetReception(ref CanMessage message, double timestamp, bool isRx)
    {
        Unsafe.AsRef(in message._timestamp) = timestamp;
        ref var flags = ref Unsafe.AsRef(in message._flags);
        flags = isRx ? (ushort)(flags & ~TxFlag) : (ushort)(flags | TxFlag);
    }

    /// <summary>Sets the channel of a frame in place (see <see cref="SetReception"/>).</summary>
    /// <param name="message">The frame, in a location the caller owns.</param>
    /// <param name="channel">The channel.</param>
    internal static void SetChannel(ref CanMessage message, CanChannel channel) => Unsafe.AsRef(in message._channel) = channel;

    /// <summary>The receive or send time in seconds since the Unix epoch (python-can's float timestamp).</summary>
    public double Timestamp { get => _timestamp; init => _timestamp = value; }

    /// <summary>The timestamp as a UTC <see cref="DateTime"/> (100 ns resolution).</summary>
    public DateTime TimestampUtc => DateTime.UnixEpoch.AddTicks((long)Math.Round(_timestamp * TimeSpan.TicksPerSecond));

    /// <summary>The 11-bit (standard) or 29-bit (extended) identifier.</summary>
    public uint ArbitrationId { get => _arbitrationId; init => _arbitrationId = value; }

    /// <summary>Whether <see cref="ArbitrationId"/> is a 29-bit extended id. Default <see langword="false"/>.</summary>
    public bool IsExtendedId { get => Has(ExtendedFlag); init => _flags = With(ExtendedFlag, value); }

    /// <summary>Whether this is a remote transmission request (no data, <see cref="Dlc"/> says how many bytes are requested).</summary>
    public bool IsRemoteFrame { get => Has(RemoteFlag); init => _flags = With(RemoteFlag, value); }

    /// <summary>Whether this is an error frame.</summary>
    public bool IsErrorFrame { get => Has(ErrorFlag); init => _flags = With(ErrorFlag, value); }

    /// <summary>Whether this is a CAN FD frame.</summary>
    public bool IsFd { get => Has(FdFlag); init => _flags = With(FdFlag, value); }

    /// <summary>CAN FD bitrate switch (BRS) flag.</summary>
    public bool BitrateSwitch { get => Has(BitrateSwitchFlag); init => _flags = With(BitrateSwitchFlag, value); }

    /// <summary>CAN FD error state indicator (ESI) flag.</summary>
    public bool ErrorStateIndicator { get => Has(ErrorStateIndicatorFlag); init => _flags = With(ErrorStateIndicatorFlag, value); }

    /// <summary>Whether the frame was received (<see langword="true"/>, the default) or sent by this node.</summary>
    public bool IsRx { get => !Has(TxFlag); init => _flags = With(TxFlag, !value); }

    /// <summary>The channel the frame belongs to; <see cref="CanChannel.None"/> by default.</summary>
    public CanChannel Channel { get => _channel; init => _channel = value; }

    /// <summary>
    /// The data length in bytes (python-can's <c>dlc</c>, not the 4-bit code). It equals the length of
    /// <see cref="Data"/> unless set explicitly, as a remote frame does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value outside 0..64.</exception>
    public int Dlc
    {
        get => _dlcPlusOne == 0 ? _length : _dlcPlusOne - 1;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, CanDlc.MaxFdLength);
            _dlcPlusOne = (byte)(value + 1);
        }
    }

    /// <summary>The 4-bit DLC code for <see cref="Dlc"/> (the smallest code that holds it).</summary>
    public int DlcCode => CanDlc.ToCode(Dlc);

    /// <summary>The number of data bytes stored (usually equal to <see cref="Dlc"/>; 0 for a remote frame).</summary>
    public int DataLength => _length;

    /// <summary>The data bytes (0..64). Setting copies the bytes into the message.</summary>
    /// <exception cref="ArgumentException">Set to more than 64 bytes.</exception>
    public ReadOnlySpan<byte> Data
    {
        [UnscopedRef]
        get => ((ReadOnlySpan<byte>)_data)[.._length];
        init
        {
            if (value.Length > CanDlc.MaxFdLength)
            {
                throw new ArgumentException($"A CAN message carries at most {CanDlc.MaxFdLength} data bytes, not {value.Length}.", nameof(value));
            }

            value.CopyTo(_data);
            _length = (byte)value.Length;
        }
    }

    /// <summary>Copies the data bytes into a new array.</summary>
    /// <returns>The data bytes.</returns>
    public byte[] ToArray() => Data.ToArray();

    /// <summary>Returns the first rule of python-can's <c>check=True</c> that this message breaks, or <see cref="CanMessageError.None"/>.</summary>
    /// <returns>The broken rule, or <see cref="CanMessageError.None"/> for a valid frame.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CanMessageError GetValidationError()
    {
        if (_timestamp < 0.0)
        {
            return CanMessageError.NegativeTimestamp;
        }

        if (double.IsInfinity(_timestamp))
        {
            return CanMessageError.InfiniteTimestamp;
        }

        if (double.IsNaN(_timestamp))
        {
            return CanMessageError.NaNTimestamp;
        }

        return GetFrameValidationError();
    }

    /// <summary>The validation rules without the timestamp ones: a receiver that stamps frames itself uses these.</summary>
    /// <returns>The broken rule, or <see cref="CanMessageError.None"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal CanMessageError GetFrameValidationError()
    {
        var remote = IsRemoteFrame;
        var fd = IsFd;
        if (remote && IsErrorFrame)
        {
            return CanMessageError.RemoteAndError;
        }

        if (remote && fd)
        {
            return CanMessageError.RemoteAndFd;
        }

        if (IsExtendedId ? _arbitrationId >= 0x2000_0000 : _arbitrationId >= 0x800)
        {
            return IsExtendedId ? CanMessageError.ExtendedIdTooLarge : CanMessageError.StandardIdTooLarge;
        }

        var dlc = Dlc;
        if (fd ? dlc > CanDlc.MaxFdLength : dlc > CanDlc.MaxClassicLength)
        {
            return fd ? CanMessageError.FdDlcTooLarge : CanMessageError.ClassicDlcTooLarge;
        }

        if (remote)
        {
            if (_length > 0)
            {
                return CanMessageError.RemoteWithData;
            }
        }
        else if (dlc != _length)
        {
            return CanMessageError.DlcMismatch;
        }

        if (!fd)
        {
            if (BitrateSwitch)
            {
                return CanMessageError.BitrateSwitchWithoutFd;
            }

            if (ErrorStateIndicator)
            {
                return CanMessageError.ErrorStateIndicatorWithoutFd;
            }
        }

        return CanMessageError.None;
    }

    /// <summary>Whether the message is a valid frame by python-can's <c>check=True</c> rules.</summary>
    public bool IsValid => GetValidationError() == CanMessageError.None;

    /// <summary>Throws when the message breaks one of python-can's <c>check=True</c> rules.</summary>
    /// <exception cref="ArgumentException">The message is not a valid frame; the text names the rule.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Validate()
    {
        var error = GetValidationError();
        if (error != CanMessageError.None)
        {
            throw new ArgumentException(Describe(error));
        }
    }

    /// <summary>A sentence describing a validation error (python-can's wording).</summary>
    /// <param name="error">The error.</param>
    /// <returns>The description.</returns>
    public static string Describe(CanMessageError error) => error switch
    {
        CanMessageError.None => "the message is valid",
        CanMessageError.NegativeTimestamp => "the timestamp may not be negative",
        CanMessageError.InfiniteTimestamp => "the timestamp may not be infinite",
        CanMessageError.NaNTimestamp => "the timestamp may not be NaN",
        CanMessageError.RemoteAndError => "a message cannot be a remote and an error frame at the same time",
        CanMessageError.RemoteAndFd => "CAN FD does not support remote frames",
        CanMessageError.ExtendedIdTooLarge => "extended arbitration IDs must be less than 2^29",
        CanMessageError.StandardIdTooLarge => "normal arbitration IDs must be less than 2^11",
        CanMessageError.FdDlcTooLarge => "DLC was larger than 64, which is the maximum for CAN FD frames",
        CanMessageError.ClassicDlcTooLarge => "DLC was larger than 8, which is the maximum for normal CAN frames",
        CanMessageError.RemoteWithData => "remote frames may not carry any data",
        CanMessageError.DlcMismatch => "the DLC field does not match the length of the data",
        CanMessageError.BitrateSwitchWithoutFd => "bitrate switch is only allowed for CAN FD frames",
        CanMessageError.ErrorStateIndicatorWithoutFd => "error state indicator is only allowed for CAN FD frames",
        _ => error.ToString(),
    };

    /// <summary>
    /// python-can's <c>Message.equals</c>: compares every field, the timestamp within a tolerance, and
    /// optionally the channel and the direction.
    /// </summary>
    /// <param name="other">The message to compare with.</param>
    /// <param name="timestampDelta">The largest timestamp difference in seconds that still counts as equal; <see langword="null"/> ignores timestamps.</param>
    /// <param name="checkChannel">Whether the channels must be equal.</param>
    /// <param name="checkDirection">Whether <see cref="IsRx"/> must be equal.</param>
    /// <returns>Whether the messages are equivalent.</returns>
    public bool IsEquivalentTo(in CanMessage other, double? timestampDelta = 1e-6, bool checkChannel = true, bool checkDirection = true)
    {
        const ushort AllButTx = ExtendedFlag | RemoteFlag | ErrorFlag | FdFlag | BitrateSwitchFlag | ErrorStateIndicatorFlag;
        var flagMask = checkDirection ? (ushort)(AllButTx | TxFlag) : AllButTx;
        return (timestampDelta is not { } delta || Math.Abs(_timestamp - other._timestamp) <= delta)
            && (_flags & flagMask) == (other._flags & flagMask)
            && _arbitrationId == other._arbitrationId
            && Dlc == other.Dlc
            && Data.SequenceEqual(other.Data)
            && (!checkChannel || _channel == other._channel);
    }

    /// <summary>Exact value equality: every field, the timestamp bit for bit, and the data bytes.</summary>
    /// <param name="other">The message to compare with.</param>
    /// <returns>Whether the messages are equal.</returns>
    public bool Equals(CanMessage other) =>
        _timestamp.Equals(other._timestamp) && IsEquivalentTo(other, timestampDelta: null);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CanMessage other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_timestamp);
        hash.Add(_arbitrationId);
        hash.Add(_flags);
        hash.Add(Dlc);
        hash.AddBytes(Data);
        hash.Add(_channel);
        return hash.ToHashCode();
    }

    /// <summary>Compares two messages by value.</summary>
    /// <param name="left">The first message.</param>
    /// <param name="right">The second message.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(CanMessage left, CanMessage right) => left.Equals(right);

    /// <summary>Compares two messages by value.</summary>
    /// <param name="left">The first message.</param>
    /// <param name="right">The second message.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(CanMessage left, CanMessage right) => !left.Equals(right);

    /// <summary>
    /// python-can's <c>str(msg)</c> layout, e.g.
    /// <c>Timestamp:        0.000000    ID:      123    S Rx                DL:  3    01 02 03</c>.
    /// </summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder(128);
        const string Separator = "    ";
        sb.Append("Timestamp: ").Append(FormatTimestamp(_timestamp).PadLeft(15));
        sb.Append(Separator).Append("ID: ");
        var id = IsExtendedId
            ? _arbitrationId.ToString("x8", CultureInfo.InvariantCulture)
            : _arbitrationId.ToString("x3", CultureInfo.InvariantCulture);
        sb.Append(id.PadLeft(8));
        sb.Append(Separator)
            .Append(IsExtendedId ? 'X' : 'S').Append(' ')
            .Append(IsRx ? "Rx" : "Tx").Append(' ')
            .Append(IsErrorFrame ? 'E' : ' ').Append(' ')
            .Append(IsRemoteFrame ? 'R' : ' ').Append(' ')
            .Append(IsFd ? 'F' : ' ').Append(' ')
            .Append(BitrateSwitch ? "BS" : "  ").Append(' ')
            .Append(ErrorStateIndicator ? "EI" : "  ");
        sb.Append(Separator).Append("DL: ").Append(Dlc.ToString(CultureInfo.InvariantCulture).PadLeft(2));
        sb.Append(Separator);
        var data = Data;
        var shown = Math.Min(Dlc, data.Length);
        var start = sb.Length;
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        sb.Append(' ', Math.Max(0, 24 - (sb.Length - start)));
        if (IsAsciiAlphanumeric(data))
        {
            sb.Append(Separator).Append('\'').Append(Encoding.ASCII.GetString(data)).Append('\'');
        }

        if (!_channel.IsNone)
        {
            sb.Append(Separator).Append("Channel: ").Append(_channel.ToString());
        }

        return sb.ToString().Trim();
    }

    // python's f"{ts:.6f}": .NET's "F6" matches it for finite values, but spells NaN and the infinities differently.
    private static string FormatTimestamp(double timestamp) => timestamp switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(timestamp) => "nan",
        _ => timestamp.ToString("F6", CultureInfo.InvariantCulture),
    };

    // python's bytearray.isalnum(): non-empty and every byte an ASCII letter or digit.
    private static bool IsAsciiAlphanumeric(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        foreach (var b in data)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private bool Has(ushort flag) => (_flags & flag) != 0;

    private ushort With(ushort flag, bool on) => on ? (ushort)(_flags | flag) : (ushort)(_flags & ~flag);

    [InlineArray(CanDlc.MaxFdLength)]
    private struct DataBuffer
    {
        private byte _element0;
    }
}
