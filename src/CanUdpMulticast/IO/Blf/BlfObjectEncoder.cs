using System.Buffers.Binary;
using System.Globalization;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Turns frames into BLF objects (<c>CAN_MESSAGE</c>, <c>CAN_FD_MESSAGE</c>, <c>CAN_FD_MESSAGE_64</c>,
/// <c>CAN_ERROR_EXT</c> with a version-1 object header and 1 ns times): the mirror of <see cref="BlfObjectParser"/>.
/// Keeps the measurement's start (the header's SYSTEMTIME, set from the first frame) and the last frame's time.
/// </summary>
internal sealed class BlfObjectEncoder
{
    public const int ObjectHeaderSize = BlfLayout.ObjectHeaderBaseSize + BlfLayout.ObjectHeaderV1Size;
    public const int MaxObjectSize = ObjectHeaderSize + BlfLayout.CanFdMessage64FixedSize + CanDlc.MaxFdLength;

    private readonly int _defaultChannel;
    private readonly bool _useFd64;
    private readonly TimeZoneInfo _timeZone;
    private readonly byte[] _startSystemTime = new byte[16];
    private bool _hasStart;
    private double _startSeconds;

    public BlfObjectEncoder(int defaultChannel, bool useFd64, TimeZoneInfo timeZone)
    {
        _defaultChannel = defaultChannel;
        _useFd64 = useFd64;
        _timeZone = timeZone;
    }

    /// <summary>The start time as the header's SYSTEMTIME (zero until the first frame).</summary>
    public ReadOnlySpan<byte> StartSystemTime => _startSystemTime;

    /// <summary>The last frame's timestamp, for the header's stop time.</summary>
    public double? StopTimestamp { get; private set; }

    /// <summary>Continues an existing file (appending): its start time and stop time.</summary>
    public void Resume(ReadOnlySpan<byte> startSystemTime, double startSeconds, double stopTimestamp)
    {
        startSystemTime.CopyTo(_startSystemTime);
        _hasStart = true;
        _startSeconds = startSeconds;
        StopTimestamp = stopTimestamp;
    }

    /// <summary>Writes the frame's object into <paramref name="obj"/> (at least <see cref="MaxObjectSize"/> bytes); returns its size.</summary>
    /// <exception cref="ArgumentException">BLF cannot store the frame (see <see cref="BlfWriter.Write"/>).</exception>
    public int Encode(in CanMessage message, Span<byte> obj)
    {
        var timestamp = message.Timestamp;
        if (!_hasStart)
        {
            SetStart(timestamp);
        }

        StopTimestamp = timestamp;
        var channel = BlfChannel(message.Channel);
        var id = message.ArbitrationId & 0x1FFF_FFFF;
        if (message.IsExtendedId)
        {
            id |= BlfLayout.ExtendedIdFlag;
        }

        var data = message.Data;
        var flags = (byte)((message.IsRemoteFrame ? BlfLayout.RemoteFlag : 0) | (message.IsRx ? 0 : BlfLayout.DirectionTxFlag));
        int bodySize;
        uint type;
        var body = obj[ObjectHeaderSize..];
        body.Clear();
        if (message.IsErrorFrame)
        {
            if (data.Length > CanDlc.MaxClassicLength)
            {
                throw new ArgumentException($"BLF stores at most 8 data bytes in an error frame (CAN_ERROR_EXT); this one has {data.Length}.", nameof(message));
            }

            type = BlfLayout.CanErrorExt;
            bodySize = BlfLayout.CanErrorExtSize;
            BinaryPrimitives.WriteUInt16LittleEndian(body, CheckedChannel(channel, ushort.MaxValue, nameof(message)));
            body[10] = (byte)CanDlc.ToCode(message.Dlc);
            BinaryPrimitives.WriteUInt32LittleEndian(body[16..], id);
            data.CopyTo(body[24..]);
        }
        else if (message.IsFd && _useFd64)
        {
            type = BlfLayout.CanFdMessage64;
            bodySize = BlfLayout.CanFdMessage64FixedSize + data.Length;
            body[0] = (byte)CheckedChannel(channel, byte.MaxValue, nameof(message));
            body[1] = (byte)CanDlc.ToCode(message.Dlc);
            body[2] = (byte)data.Length;
            BinaryPrimitives.WriteUInt32LittleEndian(body[4..], id);
            var fdFlags = BlfLayout.Fd64Edl | (message.BitrateSwitch ? BlfLayout.Fd64Brs : 0) | (message.ErrorStateIndicator ? BlfLayout.Fd64Esi : 0)
                | (message.IsRemoteFrame ? BlfLayout.Fd64Remote : 0);
            BinaryPrimitives.WriteUInt32LittleEndian(body[12..], fdFlags);
            body[34] = message.IsRx ? (byte)0 : (byte)1;
            data.CopyTo(body[BlfLayout.CanFdMessage64FixedSize..]);
        }
        else if (message.IsFd)
        {
            type = BlfLayout.CanFdMessage;
            bodySize = BlfLayout.CanFdMessageSize;
            BinaryPrimitives.WriteUInt16LittleEndian(body, CheckedChannel(channel, ushort.MaxValue, nameof(message)));
            body[2] = flags;
            body[3] = (byte)CanDlc.ToCode(message.Dlc);
            BinaryPrimitives.WriteUInt32LittleEndian(body[4..], id);
            body[13] = (byte)(BlfLayout.FdEdl | (message.BitrateSwitch ? BlfLayout.FdBrs : 0) | (message.ErrorStateIndicator ? BlfLayout.FdEsi : 0));
            body[14] = (byte)data.Length;
            data.CopyTo(body[20..]);
        }
        else
        {
            if (data.Length > CanDlc.MaxClassicLength)
            {
                throw new ArgumentException($"A classic CAN frame (IsFd = false) carries at most 8 data bytes; this one has {data.Length}.", nameof(message));
            }

            type = BlfLayout.CanMessage;
            bodySize = BlfLayout.CanMessageSize;
            BinaryPrimitives.WriteUInt16LittleEndian(body, CheckedChannel(channel, ushort.MaxValue, nameof(message)));
            body[2] = flags;
            body[3] = (byte)message.Dlc;
            BinaryPrimitives.WriteUInt32LittleEndian(body[4..], id);
            data.CopyTo(body[8..]);
        }

        var objectSize = ObjectHeaderSize + bodySize;
        BinaryPrimitives.WriteUInt32LittleEndian(obj, BlfLayout.ObjectSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(obj[4..], ObjectHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(obj[6..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(obj[8..], (uint)objectSize);
        BinaryPrimitives.WriteUInt32LittleEndian(obj[12..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(obj[16..], BlfLayout.TimeOneNanosecond);
        BinaryPrimitives.WriteUInt32LittleEndian(obj[20..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(obj[24..], OffsetNanoseconds(timestamp));

        // CAN_FD_MESSAGE_64 objects are not padded (vector_blf); the others are multiples of 4 bytes anyway.
        return objectSize;
    }

    private void SetStart(double timestamp)
    {
        _hasStart = true;
        if (timestamp >= BlfLayout.MinHeaderTimestamp && timestamp < 253402300799)
        {
            var milliseconds = (long)Math.Floor(timestamp * 1000.0);
            BlfLayout.WriteSystemTime(milliseconds, _timeZone, _startSystemTime);

            // Offsets are taken from the start exactly as readers reconstruct it from the SYSTEMTIME; where the
            // local time is ambiguous (clocks turned back) readers, like python-can, pick the earlier instant.
            var reconstructed = BlfLayout.SystemTimeToTimestamp(_startSystemTime, _timeZone);
            _startSeconds = Math.Abs(reconstructed - (milliseconds / 1000.0)) < 0.001 ? reconstructed : milliseconds / 1000.0;
        }
        else
        {
            _startSystemTime.AsSpan().Clear();
            _startSeconds = 0;
        }
    }

    private ulong OffsetNanoseconds(double timestamp)
    {
        var nanoseconds = Math.Round((timestamp - _startSeconds) * 1e9);
        return nanoseconds > 0 ? (nanoseconds >= ulong.MaxValue ? ulong.MaxValue : (ulong)nanoseconds) : 0;
    }

    // python-can: a numeric channel or a name ending in digits N is BLF channel N + 1; anything else the default.
    private int BlfChannel(in CanChannel channel)
    {
        if (channel.IsNumber)
        {
            return channel.Number is >= -1 and < int.MaxValue ? (int)channel.Number + 1 : -1;
        }

        if (channel.Name is { } name)
        {
            var digits = name.Length;
            while (digits > 0 && char.IsAsciiDigit(name[digits - 1]))
            {
                digits--;
            }

            if (digits < name.Length)
            {
                return int.TryParse(name.AsSpan(digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < int.MaxValue ? n + 1 : -1;
            }
        }

        return _defaultChannel;
    }

    private static ushort CheckedChannel(int channel, int max, string paramName) =>
        channel >= 0 && channel <= max
            ? (ushort)channel
            : throw new ArgumentException($"BLF cannot store this frame's channel: the BLF channel (channel number + 1) must be 0..{max}.", paramName);
}
