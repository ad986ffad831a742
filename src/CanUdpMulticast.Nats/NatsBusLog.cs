using CanUdpMulticast.Wire;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Nats;

/// <summary>The log messages of <see cref="NatsBus"/>. Event ids 700..749 are stable: they reach users' telemetry.</summary>
internal static partial class NatsBusLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Debug, Message = "NATS bus opened: {Root} on {Server}, subscriptions {Subscriptions}")]
    public static partial void Opened(ILogger logger, string root, string server, string subscriptions);

    [LoggerMessage(EventId = 701, Level = LogLevel.Debug, Message = "NATS bus closed: {Root}; {Statistics}")]
    public static partial void Closed(ILogger logger, string root, NatsStatistics statistics);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "NATS bus {Root}: connection lost ({Reason}); reconnecting")]
    public static partial void Disconnected(ILogger logger, string root, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "NATS bus {Root}: connected to {Server}")]
    public static partial void Reconnected(ILogger logger, string root, string server);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning,
        Message = "NATS bus {Root}: dropped a malformed frame on {Subject} ({Length} bytes): {Reason}; {Suppressed} more were dropped since the last report")]
    public static partial void Malformed(ILogger logger, string root, string subject, int length, MalformedDatagramReason reason, long suppressed);

    [LoggerMessage(EventId = 705, Level = LogLevel.Error, Message = "NATS bus {Root}: server error: {Error}")]
    public static partial void ServerError(ILogger logger, string root, string error);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning,
        Message = "NATS bus {Root}: dropped a frame sent while disconnected ({Pending} already wait); {Total} dropped so far")]
    public static partial void DroppedWhileDisconnected(ILogger logger, string root, int pending, long total);
}
