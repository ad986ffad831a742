namespace CanUdpMulticast;

/// <summary>
/// Converts between data lengths in bytes and the 4-bit DLC code of the CAN and CAN FD frame format
/// (python-can's <c>len2dlc</c>/<c>dlc2len</c>).
/// </summary>
public static class CanDlc
{
    private static ReadOnlySpan<byte> CodeToLength => [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

    /// <summary>The largest data length of a classic CAN frame, in bytes.</summary>
    public const int MaxClassicLength = 8;

    /// <summary>The largest data length of a CAN FD frame, in bytes.</summary>
    public const int MaxFdLength = 64;

    /// <summary>The data length in bytes that a 4-bit DLC code stands for (codes 9..15 mean 12..64 bytes).</summary>
    /// <param name="code">The DLC code, 0..15.</param>
    /// <returns>The data length in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is outside 0..15.</exception>
    public static int ToLength(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 15);
        return CodeToLength[code];
    }

    /// <summary>The smallest DLC code whose length holds <paramref name="length"/> bytes.</summary>
    /// <param name="length">The data length in bytes, 0..64.</param>
    /// <returns>The DLC code, 0..15.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is outside 0..64.</exception>
    public static int ToCode(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxFdLength);
        if (length <= 8)
        {
            return length;
        }

        for (var code = 9; code < 16; code++)
        {
            if (CodeToLength[code] >= length)
            {
                return code;
            }
        }

        return 15;
    }

    /// <summary>Whether a CAN FD frame can carry exactly <paramref name="length"/> bytes (0..8, 12, 16, 20, 24, 32, 48, 64).</summary>
    /// <param name="length">The data length in bytes.</param>
    /// <returns>Whether the length is one of the CAN FD lengths.</returns>
    public static bool IsValidFdLength(int length) => length is >= 0 and <= MaxFdLength && CodeToLength[ToCode(length)] == length;
}
