using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Registry;

/// <summary>Log messages about bus configurations (event ids 102-109).</summary>
internal static partial class BusConfigurationLog
{
    [LoggerMessage(EventId = 102, Level = LogLevel.Warning,
        Message = "Option '{Key}' (from {Source}) is not an option of interface '{Interface}' and is ignored (closest valid option: {Suggestion})")]
    public static partial void UnknownOption(ILogger logger, string key, string source, string @interface, string suggestion);
}
