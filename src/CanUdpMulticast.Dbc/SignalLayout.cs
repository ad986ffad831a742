using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CanUdpMulticast.Dbc;

/// <summary>
/// Where a signal's bits lie in the payload, precomputed from start bit, length and byte order, and the bit copying
/// both ways. Both byte orders walk the bytes from the one holding the least significant bit: upwards for Intel,
/// downwards for Motorola.
/// </summary>
internal readonly struct SignalLayout
{
    private readonly int _lsbByte;
    private readonly int _shift;
    private readonly int _byteCount;
    private readonly int _step;
    private readonly ulong _mask;

    // For payloads of exactly _fastLength bytes (the message length): the byte where an 8-byte load holding the whole
    // field starts, and the shift of the field in it; _fastLength is -1 when no such load exists.
    private readonly int _fastLength;
    private readonly int _fastStart;
    private readonly int _fastShift;

    public SignalLayout(int startBit, int length, DbcByteOrder byteOrder, int messageLength = -1)
    {
        Length = length;
        _mask = length >= 64 ? ulong.MaxValue : (1UL << length) - 1;
        if (byteOrder == DbcByteOrder.LittleEndian)
        {
            _lsbByte = startBit >> 3;
            _shift = startBit & 7;
            var msbByte = (startBit + length - 1) >> 3;
            _byteCount = msbByte - _lsbByte + 1;
            _step = 1;
            RequiredBytes = msbByte + 1;
        }
        else
        {
            // Motorola: the start bit is the MSB in sawtooth numbering; turn it into a linear big-endian bit index
            // (0 = MSB of byte 0) where the field is contiguous.
            var msbLinear = ((startBit >> 3) << 3) + 7 - (startBit & 7);
            var lsbLinear = msbLinear + length - 1;
            _lsbByte = lsbLinear >> 3;
            _shift = 7 - (lsbLinear & 7);
            var msbByte = msbLinear >> 3;
            _byteCount = _lsbByte - msbByte + 1;
            _step = -1;
            RequiredBytes = _lsbByte + 1;
        }

        _fastLength = -1;
        if (messageLength >= 8 && messageLength >= RequiredBytes)
        {
            _fastStart = _step > 0 ? Math.Min(_lsbByte, messageLength - 8) : Math.Max(_lsbByte, 7) - 7;
            _fastShift = _step > 0 ? ((_lsbByte - _fastStart) << 3) + _shift : ((_fastStart + 7 - _lsbByte) << 3) + _shift;
            if (_fastShift + length <= 64)
            {
                _fastLength = messageLength;
            }
        }
    }

    /// <summary>The length in bits.</summary>
    public int Length { get; }

    /// <summary>How many payload bytes the field needs (the highest byte index it touches, plus one).</summary>
    public int RequiredBytes { get; }

    /// <summary>The all-ones value of the field's width.</summary>
    public ulong Mask => _mask;

    /// <summary>Reads the field's bits, zero-extended. The caller checks <see cref="RequiredBytes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(ReadOnlySpan<byte> data)
    {
        // Fastest path: a payload of the message's own length, the window precomputed; one unchecked 8-byte load.
        if (data.Length == _fastLength)
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(data), _fastStart));
            if (BitConverter.IsLittleEndian == (_step < 0))
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }

            return (word >> _fastShift) & _mask;
        }

        // Fast path: one 8-byte load of a window that holds the whole field (any payload of 8 bytes or more).
        if (data.Length >= 8)
        {
            if (_step > 0)
            {
                var start = Math.Min(_lsbByte, data.Length - 8);
                var s = ((_lsbByte - start) << 3) + _shift;
                if (s + Length <= 64)
                {
                    return (BinaryPrimitives.ReadUInt64LittleEndian(data[start..]) >> s) & _mask;
                }
            }
            else
            {
                var end = Math.Max(_lsbByte, 7);
                var s = ((end - _lsbByte) << 3) + _shift;
                if (s + Length <= 64)
                {
                    return (BinaryPrimitives.ReadUInt64BigEndian(data[(end - 7)..]) >> s) & _mask;
                }
            }
        }

        var b = _lsbByte;
        var value = (ulong)data[b] >> _shift;
        var pos = 8 - _shift;
        for (var k = 1; k < _byteCount; k++)
        {
            b += _step;
            if (pos < 64)
            {
                value |= (ulong)data[b] << pos;
            }

            pos += 8;
        }

        return value & _mask;
    }

    /// <summary>Writes the field's bits (the value is masked to the width), keeping the other bits of the bytes.</summary>
    public void Write(Span<byte> data, ulong value)
    {
        value &= _mask;
        var b = _lsbByte;
        for (var k = 0; k < _byteCount; k++)
        {
            var p = (k << 3) - _shift;
            ulong bits, m;
            if (p >= 0)
            {
                bits = p < 64 ? value >> p : 0;
                m = p < 64 ? _mask >> p : 0;
            }
            else
            {
                bits = value << -p;
                m = _mask << -p;
            }

            var bm = (byte)m;
            data[b] = (byte)((data[b] & ~bm) | ((byte)bits & bm));
            b += _step;
        }
    }

    /// <summary>Sign-extends a field value of <see cref="Length"/> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long SignExtend(ulong bits) =>
        Length < 64 && ((bits >> (Length - 1)) & 1) != 0 ? (long)(bits | ~_mask) : (long)bits;
}
