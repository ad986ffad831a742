using System.Runtime.CompilerServices;

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

    public SignalLayout(int startBit, int length, DbcByteOrder byteOrder)
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
