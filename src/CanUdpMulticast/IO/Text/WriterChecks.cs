namespace CanUdpMulticast.IO.Text;

/// <summary>The checks every writer applies to a frame before formatting it.</summary>
internal static class WriterChecks
{
    /// <summary>
    /// Rejects a frame that breaks python-can's <c>check=True</c> rules other than the timestamp ones (times are
    /// clamped instead): such a frame would make a file its own reader rejects.
    /// </summary>
    public static void Validate(in CanMessage message)
    {
        var error = message.GetValidationError();
        if (error is CanMessageError.NegativeTimestamp or CanMessageError.InfiniteTimestamp or CanMessageError.NaNTimestamp)
        {
            error = (message with { Timestamp = 0 }).GetValidationError();
        }

        if (error == CanMessageError.None)
        {
            return;
        }

        throw new ArgumentException($"The frame cannot be written to a log file: {CanMessage.Describe(error)}.", nameof(message));
    }
}
