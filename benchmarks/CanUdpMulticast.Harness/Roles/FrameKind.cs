namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// What a benchmark frame means, carried in its first data byte (every other byte of the 162-byte datagram is the
/// same for all frames of a run, so "identical datagrams" holds within each phase).
/// </summary>
internal static class FrameKind
{
    public const byte Warmup = 1;
    public const byte Measured = 2;
    public const byte End = 3;
    public const byte Ping = 4;
    public const byte Pong = 5;
    public const byte Stop = 6;
}
