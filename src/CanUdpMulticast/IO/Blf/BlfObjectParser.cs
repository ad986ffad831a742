using System.Buffers;
using System.Buffers.Binary;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Decodes the uncompressed object stream of a BLF file (the contents of all log containers one after another) into
/// frames. Objects may straddle containers, so the unparsed tail of one container is kept and the next container is
/// appended to it. Frame objects are bounded (<see cref="BlfLayout.MaxFrameObjectSize"/>); other objects are skipped
/// without buffering them, so memory stays bounded by one container plus one frame object.
/// </summary>
internal sealed class BlfObjectParser : IDisposable
{
    private readonly double _startTimestamp;
    private byte[] _buffer = [];
    private int _start;
    private int _end;

    // Uncompressed-stream offset of _buffer[_start].
    private long _streamOffset;

    // Bytes of a skipped (non-frame) object that are still to be discarded.
    private long _skipRemaining;

    // File offset of the container that supplied the current data (for error messages).
    private long _containerFileOffset;

    public BlfObjectParser(double startTimestamp) => _startTimestamp = startTimestamp;

    /// <summary>Objects of types this parser does not decode (or with an unknown header version) that were skipped.</summary>
    public long SkippedObjects { get; private set; }

    /// <summary>Counts an object skipped outside the containers.</summary>
    public void CountSkipped() => SkippedObjects++;

    /// <summary>Frames decoded.</summary>
    public long Frames { get; private set; }

    /// <summary>
    /// Returns a writable span of <paramref name="length"/> bytes at the end of the unparsed data, for the next
    /// container's contents; call <see cref="Commit"/> with the number of bytes written.
    /// </summary>
    public Span<byte> GetAppendSpan(int length, long containerFileOffset)
    {
        _containerFileOffset = containerFileOffset;
        var pending = _end - _start;
        if (_buffer.Length - pending < length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(pending + length);
            _buffer.AsSpan(_start, pending).CopyTo(bigger);
            Return();
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }

        _start = 0;
        _end = pending;
        return _buffer.AsSpan(_end, length);
    }

    /// <summary>Makes <paramref name="length"/> bytes written into the span of <see cref="GetAppendSpan"/> available for parsing.</summary>
    public void Commit(int length) => _end += length;

    /// <summary>Decodes the next frame from the data appended so far.</summary>
    /// <param name="message">The frame.</param>
    /// <returns><see langword="false"/> when more data is needed.</returns>
    /// <exception cref="BlfFormatException">The object stream is corrupt.</exception>
    public bool TryRead(out CanMessage message)
    {
        while (true)
        {
            if (_skipRemaining > 0)
            {
                var skip = (int)Math.Min(_skipRemaining, _end - _start);
                Advance(skip);
                _skipRemaining -= skip;
                if (_skipRemaining > 0)
                {
                    message = default;
                    return false;
                }
            }

            var data = _buffer.AsSpan(_start, _end - _start);

            // Padding between objects differs by object type and writer (0..3 bytes, python-can and vector_blf
            // disagree), so look for the next signature within the next 8 bytes, as python-can does.
            if (data.Length < 8)
            {
                message = default;
                return false;
            }

            var signatureAt = data[..8].IndexOf("LOBJ"u8);
            if (signatureAt < 0)
            {
                throw Corrupt($"no object signature 'LOBJ' where the next object should start (found {Convert.ToHexString(data[..8])})");
            }

            if (signatureAt > 0)
            {
                Advance(signatureAt);
                data = data[signatureAt..];
            }

            if (data.Length < BlfLayout.ObjectHeaderBaseSize)
            {
                message = default;
                return false;
            }

            var headerVersion = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
            var objectSize = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            var objectType = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
            if (objectSize < BlfLayout.ObjectHeaderBaseSize)
            {
                throw Corrupt($"object of type {objectType} declares {objectSize} bytes, less than its own 16-byte header");
            }

            var headerSize = headerVersion switch
            {
                1 => BlfLayout.ObjectHeaderBaseSize + BlfLayout.ObjectHeaderV1Size,
                2 => BlfLayout.ObjectHeaderBaseSize + BlfLayout.ObjectHeaderV2Size,
                _ => 0,
            };
            var bodySize = FrameBodySize(objectType);
            if (bodySize == 0 || headerSize == 0)
            {
                // Not a frame (or an object header version python-can does not know either): skip it whole.
                SkippedObjects++;
                _skipRemaining = objectSize;
                continue;
            }

            if (objectSize < headerSize + bodySize)
            {
                throw Corrupt($"object of type {objectType} declares {objectSize} bytes, too small for its {headerSize}-byte header and {bodySize}-byte body");
            }

            if (objectSize > BlfLayout.MaxFrameObjectSize)
            {
                throw Corrupt($"frame object of type {objectType} declares {objectSize} bytes, more than the {BlfLayout.MaxFrameObjectSize} any frame object needs");
            }

            if (data.Length < objectSize)
            {
                message = default;
                return false;
            }

            message = Decode(data[..(int)objectSize], headerSize, objectType);
            Advance((int)objectSize);
            Frames++;
            return true;
        }
    }

    /// <summary>Checks, at the end of the file, that no object was cut off.</summary>
    /// <exception cref="BlfFormatException">The file ends inside an object.</exception>
    public void Complete()
    {
        if (_skipRemaining > 0)
        {
            throw Corrupt($"the file ends {_skipRemaining} bytes before the end of the object being skipped (truncated file)");
        }

        var rest = _buffer.AsSpan(_start, _end - _start);
        if (rest.IndexOfAnyExcept((byte)0) >= 0)
        {
            throw Corrupt($"the file ends inside an object: {rest.Length} bytes of it are left (truncated file)");
        }
    }

    public void Dispose() => Return();

    private static int FrameBodySize(uint objectType) => objectType switch
    {
        BlfLayout.CanMessage or BlfLayout.CanMessage2 => BlfLayout.CanMessageSize,
        BlfLayout.CanFdMessage => BlfLayout.CanFdMessageSize,
        BlfLayout.CanFdMessage64 => BlfLayout.CanFdMessage64FixedSize,
        BlfLayout.CanErrorExt => BlfLayout.CanErrorExtSize,
        _ => 0,
    };

    private CanMessage Decode(ReadOnlySpan<byte> obj, int headerSize, uint objectType)
    {
        // Same arithmetic as python-can: ticks * unit + start.
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(obj[16..]);
        var ticks = BinaryPrimitives.ReadUInt64LittleEndian(obj[24..]);
        var timestamp = (ticks * (flags == BlfLayout.TimeTenMicroseconds ? 1e-5 : 1e-9)) + _startTimestamp;
        var body = obj[headerSize..];
        switch (objectType)
        {
            case BlfLayout.CanMessage or BlfLayout.CanMessage2:
            {
                var channel = BinaryPrimitives.ReadUInt16LittleEndian(body);
                var frameFlags = body[2];
                var dlc = Math.Min((int)body[3], CanDlc.MaxClassicLength);
                var id = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                var remote = (frameFlags & BlfLayout.RemoteFlag) != 0;
                return new CanMessage(id & 0x1FFF_FFFF, remote ? default : body.Slice(8, dlc), (id & BlfLayout.ExtendedIdFlag) != 0)
                {
                    Timestamp = timestamp,
                    IsRemoteFrame = remote,
                    IsRx = (frameFlags & BlfLayout.DirectionTxFlag) == 0,
                    Dlc = dlc,
                    Channel = channel - 1L,
                };
            }

            case BlfLayout.CanErrorExt:
            {
                var channel = BinaryPrimitives.ReadUInt16LittleEndian(body);
                var dlc = Math.Min((int)body[10], CanDlc.MaxClassicLength);
                var id = BinaryPrimitives.ReadUInt32LittleEndian(body[16..]);
                return new CanMessage(id & 0x1FFF_FFFF, body.Slice(24, dlc), (id & BlfLayout.ExtendedIdFlag) != 0)
                {
                    Timestamp = timestamp,
                    IsErrorFrame = true,
                    Channel = channel - 1L,
                };
            }

            case BlfLayout.CanFdMessage:
            {
                var channel = BinaryPrimitives.ReadUInt16LittleEndian(body);
                var frameFlags = body[2];
                var dlcCode = body[3];
                var id = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                var fdFlags = body[13];
                var validBytes = Math.Min((int)body[14], CanDlc.MaxFdLength);
                return MakeFdMessage(
                    timestamp, channel, id, dlcCode, validBytes, body.Slice(20, CanDlc.MaxFdLength),
                    remote: (frameFlags & BlfLayout.RemoteFlag) != 0,
                    fd: (fdFlags & BlfLayout.FdEdl) != 0,
                    brs: (fdFlags & BlfLayout.FdBrs) != 0,
                    esi: (fdFlags & BlfLayout.FdEsi) != 0,
                    tx: (frameFlags & BlfLayout.DirectionTxFlag) != 0);
            }

            default:
            {
                // CAN_FD_MESSAGE_64: channel, dlc, valid bytes, tx count, id, frame length, flags, 2 bit rate
                // configs, 2 time offsets, bit count, direction, ext data offset, crc, then the data.
                var channel = body[0];
                var dlcCode = body[1];
                var id = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                var fdFlags = BinaryPrimitives.ReadUInt32LittleEndian(body[12..]);
                var direction = body[34];
                var available = body.Length - BlfLayout.CanFdMessage64FixedSize;
                var validBytes = Math.Min(Math.Min((int)body[2], CanDlc.MaxFdLength), available);
                return MakeFdMessage(
                    timestamp, channel, id, dlcCode, validBytes, body.Slice(BlfLayout.CanFdMessage64FixedSize, validBytes),
                    remote: (fdFlags & BlfLayout.Fd64Remote) != 0,
                    fd: (fdFlags & BlfLayout.Fd64Edl) != 0,
                    brs: (fdFlags & BlfLayout.Fd64Brs) != 0,
                    esi: (fdFlags & BlfLayout.Fd64Esi) != 0,
                    tx: direction != 0);
            }
        }
    }

    private static CanMessage MakeFdMessage(
        double timestamp, int channel, uint id, byte dlcCode, int validBytes, ReadOnlySpan<byte> data, bool remote, bool fd, bool brs, bool esi, bool tx)
    {
        // python-can: dlc from the DLC code, data from the valid-bytes count. A frame without EDL is a classic frame.
        var dlc = CanDlc.ToLength(Math.Min((int)dlcCode, 15));
        if (!fd)
        {
            dlc = Math.Min(dlc, CanDlc.MaxClassicLength);
            validBytes = Math.Min(validBytes, CanDlc.MaxClassicLength);
        }

        return new CanMessage(id & 0x1FFF_FFFF, remote ? default : data[..validBytes], (id & BlfLayout.ExtendedIdFlag) != 0)
        {
            Timestamp = timestamp,
            IsRemoteFrame = remote,
            IsFd = fd,
            BitrateSwitch = brs,
            ErrorStateIndicator = esi,
            IsRx = !tx,
            Dlc = dlc,
            Channel = channel - 1L,
        };
    }

    private void Advance(int count)
    {
        _start += count;
        _streamOffset += count;
    }

    private BlfFormatException Corrupt(string what) =>
        new($"BLF object stream is corrupt at uncompressed offset {_streamOffset} (in or after the log container at file offset {_containerFileOffset}): {what}.", _containerFileOffset, _streamOffset);

    private void Return()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
