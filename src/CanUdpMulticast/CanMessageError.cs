namespace CanUdpMulticast;

/// <summary>
/// Why a <see cref="CanMessage"/> is not a valid frame. The rules and their order are python-can's
/// <c>Message(check=True)</c>; <see cref="None"/> means valid.
/// </summary>
public enum CanMessageError
{
    /// <summary>The message is valid.</summary>
    None = 0,

    /// <summary>The timestamp is negative.</summary>
    NegativeTimestamp,

    /// <summary>The timestamp is infinite.</summary>
    InfiniteTimestamp,

    /// <summary>The timestamp is NaN.</summary>
    NaNTimestamp,

    /// <summary>A frame cannot be a remote frame and an error frame at once.</summary>
    RemoteAndError,

    /// <summary>CAN FD has no remote frames.</summary>
    RemoteAndFd,

    /// <summary>An extended id must be below 2^29.</summary>
    ExtendedIdTooLarge,

    /// <summary>A standard id must be below 2^11.</summary>
    StandardIdTooLarge,

    /// <summary>A CAN FD frame carries at most 64 bytes.</summary>
    FdDlcTooLarge,

    /// <summary>A classic CAN frame carries at most 8 bytes.</summary>
    ClassicDlcTooLarge,

    /// <summary>A remote frame carries no data.</summary>
    RemoteWithData,

    /// <summary>The DLC does not match the length of the data.</summary>
    DlcMismatch,

    /// <summary>Bitrate switch is only defined for CAN FD frames.</summary>
    BitrateSwitchWithoutFd,

    /// <summary>The error state indicator is only defined for CAN FD frames.</summary>
    ErrorStateIndicatorWithoutFd,
}
