namespace CanUdpMulticast.Periodic;

/// <summary>The argument checks of a periodic task (python-can's rules), with messages that name the offending frame.</summary>
internal static class CyclicSendChecks
{
    public static void CheckDuration(TimeSpan? duration)
    {
        if (duration is { } value && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), value, "The duration must be positive, or null to run until stopped.");
        }
    }

    /// <summary>python-can's checks: at least one message, all valid, all with one arbitration id and one channel.</summary>
    public static void CheckMessages(ReadOnlySpan<CanMessage> messages, string parameterName)
    {
        if (messages.IsEmpty)
        {
            throw new ArgumentException("A periodic task needs at least one message.", parameterName);
        }

        ref readonly var first = ref messages[0];
        for (var i = 0; i < messages.Length; i++)
        {
            ref readonly var message = ref messages[i];
            var error = message.GetValidationError();
            if (error != CanMessageError.None)
            {
                throw new ArgumentException($"Message {i} is not a valid frame: {CanMessage.Describe(error)}", parameterName);
            }

            if (message.ArbitrationId != first.ArbitrationId || message.IsExtendedId != first.IsExtendedId)
            {
                throw new ArgumentException(
                    $"All messages of a periodic task must have the same arbitration id: message 0 has {FormatId(first.ArbitrationId, first.IsExtendedId)}, message {i} has {FormatId(message.ArbitrationId, message.IsExtendedId)}.",
                    parameterName);
            }

            if (!message.Channel.Equals(first.Channel))
            {
                throw new ArgumentException(
                    $"All messages of a periodic task must have the same channel: message 0 has '{first.Channel}', message {i} has '{message.Channel}'.",
                    parameterName);
            }
        }
    }

    /// <summary>The checks of <c>ModifyData</c>: valid frames, as many as before, with the task's id and channel.</summary>
    public static void CheckReplacement(ReadOnlySpan<CanMessage> messages, int count, uint arbitrationId, bool isExtendedId, CanChannel channel, string parameterName)
    {
        CheckMessages(messages, parameterName);
        if (messages.Length != count)
        {
            throw new ArgumentException(
                $"The periodic task sends {count} message(s); ModifyData must pass the same number, not {messages.Length}.", parameterName);
        }

        if (messages[0].ArbitrationId != arbitrationId || messages[0].IsExtendedId != isExtendedId)
        {
            throw new ArgumentException(
                $"The arbitration id of a periodic task cannot change: it sends {FormatId(arbitrationId, isExtendedId)}, not {FormatId(messages[0].ArbitrationId, messages[0].IsExtendedId)}.",
                parameterName);
        }

        if (!messages[0].Channel.Equals(channel))
        {
            throw new ArgumentException(
                $"The channel of a periodic task cannot change: it sends on '{channel}', not '{messages[0].Channel}'.", parameterName);
        }
    }

    private static string FormatId(uint id, bool extended) => extended ? $"0x{id:X8} (extended)" : $"0x{id:X3}";
}
