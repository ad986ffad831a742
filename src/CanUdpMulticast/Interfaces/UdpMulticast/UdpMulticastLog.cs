using CanUdpMulticast.Wire;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// The log messages of <see cref="UdpMulticastBus"/>. The event ids are stable (300..349): they reach users' telemetry,
/// so an id is never reused for another meaning.
/// </summary>
internal static partial class UdpMulticastLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug,
        Message = "UDP multicast bus opened: group {Group} port {Port}, send port {SendPort}, interface {Interface}, hop limit {HopLimit}, kernel timestamps {KernelTimestamps}")]
    public static partial void Opened(ILogger logger, string group, int port, int sendPort, string @interface, int hopLimit, bool kernelTimestamps);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "UDP multicast bus closed: group {Group} port {Port}; {Statistics}")]
    public static partial void Closed(ILogger logger, string group, int port, UdpMulticastStatistics statistics);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning,
        Message = "Dropped a malformed datagram from {Source} ({Length} bytes, starts {Prefix}): {Reason}; {Suppressed} more malformed datagrams were dropped since the last report")]
    public static partial void MalformedDatagram(ILogger logger, string source, int length, string prefix, MalformedDatagramReason reason, long suppressed);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information,
        Message = "Dropped a CAN FD frame from {Source}: this bus has CAN FD disabled; {Suppressed} more were dropped since the last report")]
    public static partial void FdFrameDropped(ILogger logger, string source, long suppressed);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning,
        Message = "The kernel dropped {Count} datagrams because the receive buffer was full ({Total} in total); consider a larger ReceiveBufferSize")]
    public static partial void KernelDrops(ILogger logger, long count, long total);

    // Event id 305 (receive queue full) is retired: the bus has no queue of its own (it reads the socket on the caller's thread).

    [LoggerMessage(EventId = 306, Level = LogLevel.Error,
        Message = "Receiving on group {Group} port {Port} failed ({Suppressed} more failures since the last report)")]
    public static partial void ReceiveFailed(ILogger logger, string group, int port, long suppressed, Exception exception);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information,
        Message = "Asked for a {Requested}-byte socket receive buffer; the OS granted {Granted} bytes (Linux caps it at net.core.rmem_max)")]
    public static partial void ReceiveBufferCapped(ILogger logger, int requested, int granted);

    [LoggerMessage(EventId = 308, Level = LogLevel.Debug,
        Message = "Kernel receive timestamps are not available here; using the software clock")]
    public static partial void SoftwareTimestamps(ILogger logger);

    [LoggerMessage(EventId = 309, Level = LogLevel.Debug, Message = "Leaving group {Group} failed while closing")]
    public static partial void LeaveGroupFailed(ILogger logger, string group, Exception exception);

    [LoggerMessage(EventId = 310, Level = LogLevel.Error,
        Message = "Processing a datagram from {Source} failed unexpectedly; it was dropped and receiving continues")]
    public static partial void ProcessingFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning,
        Message = "Group isolation is not available for {Group} on this kernel (IPV6_MULTICAST_ALL needs Linux 4.20): the bus also receives other groups joined on its port")]
    public static partial void IsolationUnavailable(ILogger logger, string group, Exception exception);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information,
        Message = "Dropped a datagram from {Source}: the sender is not in AllowedSources; {Suppressed} more were dropped since the last report")]
    public static partial void SourceRejected(ILogger logger, string source, long suppressed);

    [LoggerMessage(EventId = 313, Level = LogLevel.Debug,
        Message = "The kernel filter for own echoes could not be installed ({Reason}); own echoes are skipped in the bus instead")]
    public static partial void OwnEchoFilterUnavailable(ILogger logger, string reason);
}
