using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using CanUdpMulticast.Faults.Tests.Support;
using CanUdpMulticast.Interfaces.UdpMulticast;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Faults.Tests;

/// <summary>
/// A sender process killed with SIGKILL in the middle of a burst: the receiver gets a clean prefix of the sequence (no
/// duplicates, no reordering, no silent gap) and goes on receiving from the next sender.
/// </summary>
[Collection(FaultGroup.Name)]
public sealed class KillSenderTests
{
    [SkippableTheory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void SenderKilledMidBurst_ReceiverSeesACleanPrefixAndKeepsWorking(AddressFamily family)
    {
        RequireMulticast(family);
        var group = NewGroup(family);
        using var receiver = new UdpMulticastBus(Options(group));
        var port = TestPort.ToString(CultureInfo.InvariantCulture);

        long received = 0, duplicates = 0, reordered = 0, highest = -1;
        var seen = new System.Collections.BitArray(10_000_000);
        var batch = new CanMessage[64];
        using (var sender = FaultProcesses.Agent(null, "send", group, port, "10000000", "0", "123"))
        {
            sender.ExpectLine("READY", TimeSpan.FromSeconds(30));
            var killAt = FaultScale.Full ? 200_000 : 20_000;
            while (received < killAt)
            {
                Tally(receiver.ReceiveBatch(batch, TimeSpan.FromSeconds(5)));
            }

            sender.Kill();
            sender.WaitForExit(TimeSpan.FromSeconds(5)); // throws when the killed sender did not exit
        }

        int n;
        while ((n = receiver.ReceiveBatch(batch, TimeSpan.FromMilliseconds(500))) > 0)
        {
            Tally(n);
        }

        duplicates.Should().Be(0);
        reordered.Should().Be(0);
        var dropped = receiver.Statistics.FramesDropped;
        // The sender died without saying how far it got: the highest sequence number seen is the lower bound of what
        // it sent, and every frame below it was received or reported dropped.
        (received + dropped).Should().BeGreaterThanOrEqualTo(highest + 1, "every frame up to the last one seen is received or reported dropped");
        if (dropped == 0)
        {
            received.Should().Be(highest + 1, "without drops the prefix has no gap");
        }

        FaultReport.Add($"kill -9 sender {family}", $"sentAtLeast={highest + 1} received={received} dropped={dropped} duplicates={duplicates} reordered={reordered}");

        // The receiver is unharmed: the next sender's frames arrive.
        using var next = FaultProcesses.Agent(null, "send", group, port, "1000", "0", "124");
        next.ExpectLine("SENT", TimeSpan.FromSeconds(30));
        long afterwards = 0;
        while ((n = receiver.ReceiveBatch(batch, TimeSpan.FromMilliseconds(500))) > 0)
        {
            afterwards += n;
        }

        LossAccounting.Check($"after kill -9 {family}", 1000, afterwards, receiver.Statistics.FramesDropped - dropped);

        void Tally(int count)
        {
            for (var i = 0; i < count; i++)
            {
                received++;
                var seq = BinaryPrimitives.ReadInt64LittleEndian(batch[i].Data);
                if (seen[(int)seq])
                {
                    duplicates++;
                    continue;
                }

                seen[(int)seq] = true;
                if (seq < highest)
                {
                    reordered++;
                }
                else
                {
                    highest = seq;
                }
            }
        }
    }
}
