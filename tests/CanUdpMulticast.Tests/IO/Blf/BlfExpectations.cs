using CanUdpMulticast.IO.Blf;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>What a frame looks like after a trip through a BLF file, by the format's documented limits.</summary>
internal static class BlfExpectations
{
    /// <summary>The frame as a BLF reader returns it after <see cref="BlfWriter"/> wrote it with <paramref name="defaultChannel"/>.</summary>
    public static CanMessage AfterRoundTrip(in CanMessage m, int defaultChannel = 1)
    {
        var channel = m.Channel switch
        {
            { IsNumber: true } c => c,
            { Name: { } name } when TrailingNumber(name) is { } n => n,
            _ => new CanChannel(defaultChannel - 1L),
        };
        if (m.IsErrorFrame)
        {
            // CAN_ERROR_EXT keeps id, extended flag, DLC and data only.
            return new CanMessage(m.ArbitrationId, m.Data, m.IsExtendedId) { Timestamp = m.Timestamp, IsErrorFrame = true, Channel = channel, Dlc = m.Dlc };
        }

        return m with { Channel = channel };
    }

    /// <summary>Compares every field; timestamps within <paramref name="timestampDelta"/> seconds; remote frames' data only when <paramref name="compareRemoteData"/>.</summary>
    public static void ShouldMatch(IReadOnlyList<CanMessage> actual, IReadOnlyList<CanMessage> expected, double timestampDelta, bool compareRemoteData = true)
    {
        actual.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var a = actual[i];
            var e = expected[i];
            if (!compareRemoteData && e.IsRemoteFrame)
            {
                a = a with { Data = [] };
                e = e with { Data = [] };
            }

            a.IsEquivalentTo(e, timestampDelta).Should().BeTrue(
                "message {0} should be {1} but is {2}", i, PythonCan.Describe(e), PythonCan.Describe(a));
        }
    }

    private static long? TrailingNumber(string name)
    {
        var i = name.Length;
        while (i > 0 && char.IsAsciiDigit(name[i - 1]))
        {
            i--;
        }

        return i < name.Length ? long.Parse(name.AsSpan(i), System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
