using System.Buffers.Binary;

namespace CanUdpMulticast.IO.Blf;

/// <summary>
/// Byte layouts of Vector's BLF format, as python-can 4.1.0 and Toby Lorenz' vector_blf read and write them.
/// All integers are little-endian.
/// </summary>
internal static class BlfLayout
{
    /// <summary>"LOGG": the file signature.</summary>
    public const uint FileSignature = 0x4747_4F4C;

    /// <summary>"LOBJ": every object's signature.</summary>
    public const uint ObjectSignature = 0x4A42_4F4C;

    /// <summary>The part of the file header every version has (signature .. stop time).</summary>
    public const int FileHeaderFixedSize = 72;

    /// <summary>The header size Vector tools and python-can write (the fixed part padded with zeros).</summary>
    public const int FileHeaderSize = 144;

    /// <summary>The largest file header accepted when reading (guards against absurd sizes).</summary>
    public const int MaxFileHeaderSize = 64 * 1024;

    /// <summary>signature, header size, header version, object size, object type.</summary>
    public const int ObjectHeaderBaseSize = 16;

    /// <summary>Version 1 header after the base: flags, client index, object version, timestamp.</summary>
    public const int ObjectHeaderV1Size = 16;

    /// <summary>Version 2 header after the base: flags, timestamp status, reserved, object version, timestamp, original timestamp.</summary>
    public const int ObjectHeaderV2Size = 24;

    /// <summary>Log container header after the base header: compression method, reserved, uncompressed size, reserved.</summary>
    public const int LogContainerHeaderSize = 16;

    /// <summary>CAN_MESSAGE body: channel, flags, dlc, id, 8 data bytes.</summary>
    public const int CanMessageSize = 16;

    /// <summary>CAN_FD_MESSAGE body: channel, flags, dlc, id, frame length, bit count, FD flags, valid bytes, 5 reserved, 64 data bytes.</summary>
    public const int CanFdMessageSize = 84;

    /// <summary>CAN_FD_MESSAGE_64 fixed part before the data.</summary>
    public const int CanFdMessage64FixedSize = 40;

    /// <summary>CAN_ERROR_EXT body: channel, length, flags, ecc, position, dlc, reserved, frame length, id, ext flags, reserved, 8 data bytes.</summary>
    public const int CanErrorExtSize = 32;

    /// <summary>
    /// The largest object of a frame type this reader decodes. Larger frame objects are rejected as corrupt;
    /// larger objects of other types are skipped without buffering them.
    /// </summary>
    public const int MaxFrameObjectSize = 4096;

    public const uint CanMessage = 1;
    public const uint LogContainer = 10;
    public const uint CanErrorExt = 73;
    public const uint CanMessage2 = 86;
    public const uint CanFdMessage = 100;
    public const uint CanFdMessage64 = 101;

    public const ushort NoCompression = 0;
    public const ushort ZlibDeflate = 2;

    /// <summary>Bit 31 of a frame id: extended (29-bit) id.</summary>
    public const uint ExtendedIdFlag = 0x8000_0000;

    /// <summary>CAN_MESSAGE / CAN_FD_MESSAGE flags.</summary>
    public const byte DirectionTxFlag = 0x01;
    public const byte RemoteFlag = 0x80;

    /// <summary>CAN_FD_MESSAGE FD flags.</summary>
    public const byte FdEdl = 0x1;
    public const byte FdBrs = 0x2;
    public const byte FdEsi = 0x4;

    /// <summary>CAN_FD_MESSAGE_64 flags.</summary>
    public const uint Fd64Remote = 0x0010;
    public const uint Fd64Edl = 0x1000;
    public const uint Fd64Brs = 0x2000;
    public const uint Fd64Esi = 0x4000;

    /// <summary>Object header flags: timestamp unit 10 µs.</summary>
    public const uint TimeTenMicroseconds = 1;

    /// <summary>Object header flags: timestamp unit 1 ns.</summary>
    public const uint TimeOneNanosecond = 2;

    /// <summary>python-can's limit below which a timestamp is "probably not a Unix timestamp" and the header time is left zero (1990-01-01).</summary>
    public const double MinHeaderTimestamp = 631152000;

    /// <summary>The application id python-can writes (and so this library).</summary>
    public const byte ApplicationId = 5;

    /// <summary>Reads a <c>SYSTEMTIME</c> (8 little-endian 16-bit words, local time) as python-can does: invalid dates give 0.</summary>
    public static double SystemTimeToTimestamp(ReadOnlySpan<byte> systemTime, TimeZoneInfo timeZone)
    {
        int year = Word(systemTime, 0), month = Word(systemTime, 1), day = Word(systemTime, 3), hour = Word(systemTime, 4);
        int minute = Word(systemTime, 5), second = Word(systemTime, 6), millisecond = Word(systemTime, 7);
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || millisecond > 999)
        {
            return 0;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        long unixSeconds;
        try
        {
            unixSeconds = (long)(local - DateTime.UnixEpoch).TotalSeconds - (long)LocalOffset(local, timeZone).TotalSeconds;
        }
        catch (ArgumentException)
        {
            return 0;
        }

        // Same arithmetic as python's naive datetime.timestamp(): whole seconds plus microseconds / 1e6.
        return unixSeconds + (millisecond * 1000 / 1e6);
    }

    private static int Word(ReadOnlySpan<byte> systemTime, int index) => BinaryPrimitives.ReadUInt16LittleEndian(systemTime[(2 * index)..]);

    /// <summary>Writes a timestamp as a local-time <c>SYSTEMTIME</c> with millisecond resolution (zeros before 1990, as python-can).</summary>
    public static void TimestampToSystemTime(double timestamp, TimeZoneInfo timeZone, Span<byte> destination)
    {
        destination[..16].Clear();
        if (!(timestamp >= MinHeaderTimestamp) || timestamp > 253402300799)
        {
            return;
        }

        var milliseconds = (long)Math.Round(timestamp * 1000.0, MidpointRounding.ToEven);
        WriteSystemTime(milliseconds, timeZone, destination);
    }

    /// <summary>Writes a whole number of Unix milliseconds as a local-time <c>SYSTEMTIME</c>.</summary>
    public static void WriteSystemTime(long unixMilliseconds, TimeZoneInfo timeZone, Span<byte> destination)
    {
        var utc = DateTime.UnixEpoch.AddMilliseconds(unixMilliseconds);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, timeZone);
        ReadOnlySpan<ushort> words =
        [
            (ushort)local.Year, (ushort)local.Month, (ushort)local.DayOfWeek, (ushort)local.Day,
            (ushort)local.Hour, (ushort)local.Minute, (ushort)local.Second, (ushort)local.Millisecond,
        ];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], words[i]);
        }
    }

    // python's naive datetime.timestamp() resolves an ambiguous local time (clocks turned back) to the earlier instant
    // and a skipped local time (clocks turned forward) with the offset in force before the change.
    private static TimeSpan LocalOffset(DateTime local, TimeZoneInfo timeZone)
    {
        if (timeZone.IsAmbiguousTime(local))
        {
            var offsets = timeZone.GetAmbiguousTimeOffsets(local);
            return offsets.Max();
        }

        if (timeZone.IsInvalidTime(local))
        {
            return timeZone.GetUtcOffset(local.AddHours(-3));
        }

        return timeZone.GetUtcOffset(local);
    }

    /// <summary>Parses the fixed part of the file header.</summary>
    public static BlfFileHeader ReadFileHeader(ReadOnlySpan<byte> header, TimeZoneInfo timeZone) => new()
    {
        HeaderSize = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(header[4..]), int.MaxValue),
        ApplicationId = header[8],
        ApplicationVersion = new Version(header[9], header[10], header[11]),
        BinaryLogVersion = new Version(header[12], header[13], header[14], header[15]),
        FileSize = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]),
        UncompressedSize = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
        ObjectCount = BinaryPrimitives.ReadUInt32LittleEndian(header[32..]),
        StartTimestamp = SystemTimeToTimestamp(header[40..56], timeZone),
        StopTimestamp = SystemTimeToTimestamp(header[56..72], timeZone),
    };

    /// <summary>Writes the 144-byte file header python-can writes.</summary>
    public static void WriteFileHeader(
        Span<byte> destination, ulong fileSize, ulong uncompressedSize, uint objectCount, ReadOnlySpan<byte> startSystemTime, ReadOnlySpan<byte> stopSystemTime)
    {
        destination[..FileHeaderSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, FileSignature);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], FileHeaderSize);
        destination[8] = ApplicationId;

        // Application version 0.0.0, BLF version 2.6.8.1 (python-can's values).
        destination[12] = 2;
        destination[13] = 6;
        destination[14] = 8;
        destination[15] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], fileSize);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], uncompressedSize);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[32..], objectCount);
        startSystemTime[..16].CopyTo(destination[40..]);
        stopSystemTime[..16].CopyTo(destination[56..]);
    }
}
