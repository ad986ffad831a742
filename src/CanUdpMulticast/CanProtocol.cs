namespace CanUdpMulticast;

/// <summary>The CAN protocol a bus speaks (python-can's <c>CanProtocol</c>).</summary>
public enum CanProtocol
{
    /// <summary>Classic CAN 2.0 (up to 8 data bytes).</summary>
    Can20,

    /// <summary>ISO CAN FD (up to 64 data bytes).</summary>
    CanFd,

    /// <summary>Bosch (non-ISO) CAN FD.</summary>
    CanFdNonIso,

    /// <summary>CAN XL.</summary>
    CanXl,
}
