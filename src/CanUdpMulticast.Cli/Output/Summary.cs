using System.Globalization;

namespace CanUdpMulticast.Cli.Output;

/// <summary>Formatting for the one-line summaries commands print at the end.</summary>
internal static class Summary
{
    /// <summary>E.g. <c>1.234 s</c>.</summary>
    /// <param name="elapsed">The duration.</param>
    /// <returns>The text.</returns>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>E.g. <c>812 frames/s</c>.</summary>
    /// <param name="frames">The number of frames.</param>
    /// <param name="elapsed">The duration.</param>
    /// <returns>The text.</returns>
    public static string Rate(long frames, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero
            ? (frames / elapsed.TotalSeconds).ToString("#,0", CultureInfo.InvariantCulture) + " frames/s"
            : "- frames/s";

    /// <summary>E.g. <c>3 frames</c> or <c>1 frame</c>.</summary>
    /// <param name="count">The number.</param>
    /// <returns>The text.</returns>
    public static string Frames(long count) => count.ToString("#,0", CultureInfo.InvariantCulture) + (count == 1 ? " frame" : " frames");

    /// <summary>The bus's drop and malformed counters as <c>, 2 dropped, 1 malformed</c>, or nothing when both are 0.</summary>
    /// <param name="statistics">The statistics.</param>
    /// <returns>The text.</returns>
    public static string Losses(CanBusStatistics statistics)
    {
        var text = string.Empty;
        if (statistics.FramesDropped > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {statistics.FramesDropped} dropped");
        }

        if (statistics.MalformedFrames > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {statistics.MalformedFrames} malformed");
        }

        return text;
    }
}
