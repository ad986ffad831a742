namespace CanUdpMulticast.Cli.Monitor;

/// <summary>A snapshot of one arbitration id in <c>monitor</c>.</summary>
/// <param name="Id">The arbitration id.</param>
/// <param name="IsExtendedId">Whether it is a 29-bit id.</param>
/// <param name="Count">Frames seen with this id.</param>
/// <param name="MeanPeriod">The mean time between two frames, or <see langword="null"/> before the second frame.</param>
/// <param name="Data">The data of the last frame.</param>
/// <param name="Dlc">The DLC (length in bytes) of the last frame.</param>
/// <param name="ChangedBytes">Bit i set: byte i of the last frame differs from the frame before it.</param>
/// <param name="IsRemoteFrame">The last frame was a remote frame.</param>
/// <param name="IsFd">The last frame was a CAN FD frame.</param>
/// <param name="IsErrorFrame">The last frame was an error frame.</param>
internal sealed record MonitorRow(
    uint Id,
    bool IsExtendedId,
    long Count,
    TimeSpan? MeanPeriod,
    byte[] Data,
    int Dlc,
    ulong ChangedBytes,
    bool IsRemoteFrame,
    bool IsFd,
    bool IsErrorFrame);
