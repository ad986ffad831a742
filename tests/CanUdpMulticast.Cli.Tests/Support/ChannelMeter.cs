using System.Diagnostics.Metrics;
using CanUdpMulticast.Diagnostics;

namespace CanUdpMulticast.Cli.Tests.Support;

/// <summary>
/// Reads the library's meter for one channel, so a test can wait until a command running in-process has taken its frames
/// from the bus instead of sleeping for a guessed time.
/// </summary>
internal static class ChannelMeter
{
    /// <summary>Frames the buses on <paramref name="channel"/> have returned to their application so far (<see cref="CanMetrics.FramesReceived"/>).</summary>
    public static long FramesReceived(string channel)
    {
        long total = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CanMetrics.MeterName && instrument.Name == CanMetrics.FramesReceived)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == CanMetrics.ChannelTag && Equals(tag.Value, channel))
                {
                    total += value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return total;
    }
}
