using CanUdpMulticast.Cli.Monitor;

namespace CanUdpMulticast.Cli.Tests.Monitor;

public sealed class MonitorTableTests
{
    private static CanMessage At(double t, uint id, params byte[] data) => new(id, data) { Timestamp = t };

    [Fact]
    public void Add_FramesOfSeveralIds_OneRowPerIdSortedStandardFirst()
    {
        var table = new MonitorTable();
        table.Add(At(1, 0x200, 1));
        table.Add(new CanMessage(0x100, [1], isExtendedId: true) { Timestamp = 1 });
        table.Add(At(1, 0x100, 1));
        table.Add(At(2, 0x200, 1));

        var rows = table.Snapshot();
        rows.Select(r => (r.Id, r.IsExtendedId, r.Count)).Should().Equal((0x100u, false, 1L), (0x200u, false, 2L), (0x100u, true, 1L));
        table.Total.Should().Be(4);
    }

    [Fact]
    public void Snapshot_MeanPeriod_IsTimeSpanOverIntervals()
    {
        var table = new MonitorTable();
        foreach (var t in new[] { 10.0, 10.1, 10.3, 10.4 })
        {
            table.Add(At(t, 0x1, 0));
        }

        table.Snapshot()[0].MeanPeriod!.Value.TotalMilliseconds.Should().BeApproximately(133.333, 0.01);
    }

    [Fact]
    public void Snapshot_OneFrame_HasNoPeriodYet()
    {
        var table = new MonitorTable();
        table.Add(At(1, 0x1, 0));
        table.Snapshot()[0].MeanPeriod.Should().BeNull();
    }

    [Fact]
    public void Snapshot_ChangedBytes_MarksOnlyBytesThatDifferFromThePreviousFrame()
    {
        var table = new MonitorTable();
        table.Add(At(1, 0x1, 0x00, 0x11, 0x22, 0x33));
        table.Add(At(2, 0x1, 0x00, 0x99, 0x22, 0x34, 0x55));

        var row = table.Snapshot()[0];
        row.Data.Should().Equal(0x00, 0x99, 0x22, 0x34, 0x55);
        row.ChangedBytes.Should().Be(0b11010UL, "bytes 1 and 3 changed and byte 4 is new");
    }

    [Fact]
    public void Snapshot_FirstFrame_MarksAllBytesNew()
    {
        var table = new MonitorTable();
        table.Add(At(1, 0x1, 1, 2, 3));
        table.Snapshot()[0].ChangedBytes.Should().Be(0b111UL);
    }

    [Fact]
    public void FormatData_ChangedBytes_AreHighlightedInMarkup()
    {
        var row = new MonitorRow(0x1, false, 2, null, [0x00, 0x99], 2, 0b10, false, false, false);
        MonitorView.FormatData(row).Should().Be($"00 [{MonitorView.ChangedStyle}]99[/]");
    }

    [Fact]
    public void FormatData_RemoteFrame_SaysRemoteRequest()
    {
        var row = new MonitorRow(0x1, false, 1, null, [], 4, 0, true, false, false);
        MonitorView.FormatData(row).Should().Contain("remote request");
    }
}
