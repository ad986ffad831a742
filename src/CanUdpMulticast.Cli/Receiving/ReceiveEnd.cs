namespace CanUdpMulticast.Cli.Receiving;

/// <summary>Why a receive loop ended.</summary>
internal enum ReceiveEnd
{
    /// <summary>The handler asked to stop (e.g. the frame count was reached).</summary>
    Stopped,

    /// <summary>No frame arrived within the idle timeout.</summary>
    IdleTimeout,

    /// <summary>Cancelled (Ctrl+C, <c>q</c>, the end of a demo).</summary>
    Cancelled,

    /// <summary>The bus was closed.</summary>
    BusClosed,
}
