using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.IO;

public sealed class PrinterTests
{
    [Fact]
    public void OnMessageReceived_TextWriter_WritesToStringLines()
    {
        var output = new StringWriter();
        var frames = LogTestMessages.All;
        using (var printer = new Printer(output, leaveOpen: true))
        {
            foreach (var frame in frames)
            {
                printer.OnMessageReceived(frame);
            }

            printer.WritesToFile.Should().BeFalse();
        }

        output.ToString().Should().Be(string.Concat(frames.Select(f => f + "\n")));
    }

    [Fact]
    public void Stop_File_FlushesAndCloses()
    {
        using var directory = new TempDirectory();
        var path = directory.File("out.txt");
        var printer = new Printer(path);
        printer.OnMessageReceived(new CanMessage(0x123, [1]) { Timestamp = 1 });

        printer.Stop();

        File.ReadAllText(path).Should().Be(new CanMessage(0x123, [1]) { Timestamp = 1 } + "\n");
        printer.WritesToFile.Should().BeTrue();
        var again = () => printer.Write(new CanMessage(1, []));
        again.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Dispose_LeaveOpenFalse_ClosesTheWriter()
    {
        var output = new StringWriter();
        var printer = new Printer(output);

        printer.Dispose();

        var write = () => output.Write('x');
        write.Should().Throw<ObjectDisposedException>();
    }
}
