using CanUdpMulticast.Cli.Tests.Support;
using CanUdpMulticast.Dbc;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.IO;
using Spectre.Console.Testing;

namespace CanUdpMulticast.Cli.Tests.Dbc;

/// <summary><c>--dbc</c> on dump, send and monitor, and the decode and restbus commands, on the virtual interface.</summary>
public sealed class DbcCommandTests : IDisposable
{
    private static readonly string DbcPath = Path.Combine(AppContext.BaseDirectory, "TestData", "features.dbc");
    private readonly string _directory = Directory.CreateTempSubdirectory("canudp-dbc-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task SendWithDbc_EncodesSignals_AndDumpWithDbcDecodesThem()
    {
        var channel = Canudp.UniqueChannel();
        using var dump = new Canudp();
        var dumping = dump.StartAsync(["dump", "-i", "virtual", "-c", channel, "-n", "2", "--timeout", "10", "--dbc", DbcPath], CancellationToken.None);
        await Canudp.WaitForChannelAsync(channel);

        var send = await Canudp.RunAsync(
            "send", "-i", "virtual", "-c", channel, "--dbc", DbcPath, "EngineData", "EngineSpeed=1200", "Gear=Third", "Torque=12",
            "DiagExt", "Mode=Temperature", "Temp=-1.5");
        var dumped = await dumping;

        send.ExitCode.Should().Be(ExitCodes.Ok, send.ToString());
        dumped.ExitCode.Should().Be(ExitCodes.Ok, dumped.ToString());
        dumped.OutLines.Select(l => l.Trim()).Should().Equal(
            $"{channel}  0C8   [8]  C0 12 00 18 00 00 3F F0",
            "EngineData(EngineSpeed: 1200 rpm, CoolantTemp: -40 degC, Gear: Third, Throttle: 0 %, Torque: 12 Nm)",
            $"{channel}  18FEF1FE   [8]  01 6A FF 00 00 00 00 00",
            "DiagExt(Mode: Temperature, Temp: -1.5 degC, Always: 0)");
    }

    [Theory]
    [InlineData("Nope=1", "has no signal 'Nope'")]
    [InlineData("EngineSpeed=fast", "'fast' is not a number")]
    [InlineData("EngineSpeed=99999", "EngineData.EngineSpeed: value 99999 is outside its range")]
    public async Task SendWithDbc_BadSignalValue_IsAUsageErrorNamingTheSignal(string assignment, string expected)
    {
        var result = await Canudp.RunAsync("send", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--dbc", DbcPath, "EngineData", assignment);

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain(expected);
    }

    [Fact]
    public async Task SendWithDbc_UnknownMessageOrMissingFile_IsAUsageError()
    {
        var unknown = await Canudp.RunAsync("send", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--dbc", DbcPath, "NoSuchMessage");
        var missing = await Canudp.RunAsync("send", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--dbc", "/nonexistent.dbc", "X");

        unknown.ExitCode.Should().Be(ExitCodes.Usage);
        unknown.Error.Should().Contain("NoSuchMessage");
        missing.ExitCode.Should().Be(ExitCodes.Usage);
        missing.Error.Should().Contain("/nonexistent.dbc");
    }

    [Fact]
    public async Task Decode_LogFileAsText_PrintsEachFrameThenItsSignals()
    {
        var log = WriteLog();

        var result = await Canudp.RunAsync("decode", "--dbc", DbcPath, log);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.OutLines.Should().Equal(
            "(1700000000.100000) vcan0 0C8#C0125A187D003FF0",
            "    EngineData(EngineSpeed: 1200 rpm, CoolantTemp: 50 degC, Gear: Third, Throttle: 50 %, Torque: 12 Nm)",
            "(1700000000.200000) vcan0 123#01",
            "(1700000000.300000) vcan0 190#4107000900000000",
            "    ExtMux(Sw1: 1, Sw2: 4, A: 7, C: 9)");
        result.Error.Should().Contain("3 frames").And.Contain("2 decoded").And.Contain("1 with ids not in the DBC");
    }

    [Fact]
    public async Task Decode_LogFileAsCsv_WritesAColumnPerSignal()
    {
        var log = WriteLog();
        var csv = Path.Combine(_directory, "out.csv");

        var result = await Canudp.RunAsync("decode", "--dbc", DbcPath, "--format", "csv", "-o", csv, log);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var lines = await File.ReadAllLinesAsync(csv);
        var header = lines[0].Split(',');
        header[..6].Should().Equal("timestamp", "channel", "id", "message", "EngineData.EngineSpeed", "EngineData.CoolantTemp");
        header.Should().Contain("ExtMux.B").And.Contain("FdBig.Tail").And.HaveCount(4 + 5 + 4 + 2 + 5 + 3);
        lines.Should().HaveCount(3, "the unknown id gets no row");
        var engine = lines[1].Split(',');
        engine[..9].Should().Equal("1700000000.100000", "vcan0", "0C8", "EngineData", "1200", "50", "3", "50", "12");
        engine[9..].Should().AllBe(string.Empty);
        var ext = lines[2].Split(',');
        ext[Array.IndexOf(header, "ExtMux.A")].Should().Be("7");
        ext[Array.IndexOf(header, "ExtMux.B")].Should().BeEmpty("Sw1 = 1 does not select B");
    }

    [Fact]
    public async Task Monitor_WithDbc_ShowsARowPerMessageWithItsSignals()
    {
        var channel = Canudp.UniqueChannel();
        // A terminal, so the live view redraws and the test can wait for the signals to appear.
        using var monitor = new Canudp(terminal: true);
        using var stop = new CancellationTokenSource();
        var monitoring = monitor.StartAsync(["monitor", "-i", "virtual", "-c", channel, "--refresh", "20ms", "--dbc", DbcPath], stop.Token);
        await Canudp.WaitForChannelAsync(channel);

        await Canudp.RunAsync("send", "-i", "virtual", "-c", channel, "--dbc", DbcPath, "EngineData", "EngineSpeed=1000", "EngineData", "EngineSpeed=1500");
        var console = (TestConsole)monitor.Context.Console;
        await WaitUntilAsync(() => console.Output.Contains("EngineSpeed=1500 rpm", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await monitoring;

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.ConsoleOutput.Should().Contain("EngineData").And.Contain("EngineSpeed=1500 rpm").And.Contain("Gear=First");
        result.Error.Should().Contain("2 frames");
    }

    [Fact]
    public async Task Restbus_SendsCyclicMessages_AndStdinSetChangesASignal()
    {
        var channel = Canudp.UniqueChannel();
        using var listener = new VirtualBus(channel);
        using var canudp = new Canudp();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var console = new TestConsole();
        var context = new CliContext
        {
            Out = TextWriter.Synchronized(stdout),
            Error = TextWriter.Synchronized(stderr),
            Console = console,
            In = new StringReader("set EngineData.EngineSpeed 2500\nset EngineData.Gear Second\nget EngineData.Gear\nset EngineData.Nope 1\nsend DiagExt\n"),
            ConfigurationLoader = canudp.Context.ConfigurationLoader,
        };
        var db = DbcDatabase.Load(DbcPath);

        var running = Task.Run(() => CanudpApp.RunAsync(["restbus", "-i", "virtual", "-c", channel, "--dbc", DbcPath, "--duration", "3"], context, CancellationToken.None));
        // The two set commands take effect one after the other; a periodic send may fall between them.
        var seen = await ReceiveUntilAsync(listener, db, d => d.Message.Name == "EngineData" && d["EngineSpeed"].Value == 2500 && d["Gear"].ChoiceName == "Second");
        var exit = await running;

        exit.Should().Be(ExitCodes.Ok);
        seen["CoolantTemp"].Value.Should().Be(-40, "signals not set keep their start value");
        var output = stdout.ToString();
        var errors = stderr.ToString();
        errors.Should().Contain("restbus: sending 2 messages").And.Contain("EngineData every 100 ms").And.Contain("ExtMux every 50 ms");
        errors.Should().Contain("not sent periodically (no GenMsgCycleTime): DiagExt, FloatMsg, FdBig");
        errors.Should().MatchRegex(@"restbus: [\d,]+ frames sent in .* · 2 periodic messages · 2 signal changes · 0 errors");
        output.Should().Contain("ok EngineData.EngineSpeed = 2500 rpm")
            .And.Contain("EngineData.Gear = 2 (Second)")
            .And.Contain("error: message EngineData has no signal Nope")
            .And.Contain("ok sent DiagExt");
    }

    private static async Task<DecodedMessage> ReceiveUntilAsync(VirtualBus bus, DbcDatabase db, Func<DecodedMessage, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var frame = await bus.ReceiveAsync(timeout.Token);
            if (db.Decode(frame) is { } decoded && predicate(decoded))
            {
                return decoded;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    private string WriteLog()
    {
        var path = Path.Combine(_directory, "in.log");
        using var writer = CanLogWriter.Create(path);
        writer.Write(new CanMessage(200, [0xC0, 0x12, 0x5A, 0x18, 0x7D, 0x00, 0x3F, 0xF0]) { Timestamp = 1_700_000_000.1, Channel = "vcan0" });
        writer.Write(new CanMessage(0x123, [1]) { Timestamp = 1_700_000_000.2, Channel = "vcan0" });
        writer.Write(new CanMessage(400, [0x41, 7, 0, 9, 0, 0, 0, 0]) { Timestamp = 1_700_000_000.3, Channel = "vcan0" });
        return path;
    }
}
