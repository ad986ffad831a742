using CanUdpMulticast.Dbc;
using CanUdpMulticast.Periodic;
using CanUdpMulticast.Tests.Periodic;
using Microsoft.Extensions.Time.Testing;

namespace CanUdpMulticast.Dbc.Tests;

public sealed class RestbusSimulationTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingBus _bus;
    private readonly DbcDatabase _db = DbcFiles.Features;

    public RestbusSimulationTests() => _bus = new RecordingBus(_clock);

    public void Dispose() => _bus.Dispose();

    private RestbusOptions Options(string[]? nodes = null, string[]? except = null) =>
        new() { Nodes = nodes, ExceptNodes = except, PeriodicOptions = new PeriodicSendOptions { TimeProvider = _clock } };

    [Fact]
    public void Constructor_AllNodes_SplitsMessagesByCycleTime()
    {
        using var sim = new RestbusSimulation(_bus, _db, Options());

        sim.Messages.Select(m => m.Name).Should().Equal("EngineData", "ExtMux");
        sim.MessagesWithoutCycleTime.Select(m => m.Name).Should().Equal("DiagExt", "FloatMsg", "FdBig");
        _bus.SendCount.Should().Be(0, "nothing is sent before Start");
    }

    [Fact]
    public void Constructor_NodeSelection_UsesSendersAndTransmitters()
    {
        using var gateway = new RestbusSimulation(_bus, _db, Options(nodes: ["Gateway"]));
        using var notEngine = new RestbusSimulation(_bus, _db, Options(except: ["Engine"]));

        gateway.Messages.Select(m => m.Name).Should().Equal("EngineData"); // BO_TX_BU_ 200 : Engine,Gateway
        gateway.MessagesWithoutCycleTime.Select(m => m.Name).Should().Equal("DiagExt", "FloatMsg", "FdBig");
        notEngine.Messages.Should().BeEmpty();
    }

    [Fact]
    public void Start_SendsEachMessageAtItsCycleTimeWithStartValues()
    {
        using var sim = new RestbusSimulation(_bus, _db, Options(nodes: ["Engine"]));

        sim.Start();
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(999));

        var engine = _bus.Sent.Where(s => s.Message.ArbitrationId == 200).ToList();
        var ext = _bus.Sent.Where(s => s.Message.ArbitrationId == 400).ToList();
        engine.Select(s => s.At.TotalMilliseconds).Should().Equal(Enumerable.Range(0, 10).Select(k => k * 100.0));
        ext.Should().HaveCount(20);
        var decoded = _db.Decode(engine[^1].Message)!;
        decoded["EngineSpeed"].Value.Should().Be(800);
        decoded["Gear"].ChoiceName.Should().Be("First");
        sim.FramesSent.Should().Be(30);
        sim.IsRunning.Should().BeTrue();
    }

    [Fact]
    public void SetSignal_WhileRunning_NextSendsCarryTheNewValue()
    {
        using var sim = new RestbusSimulation(_bus, _db, Options(nodes: ["Engine"]));
        sim.Start();
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(150));

        sim.SetSignal("EngineData", "EngineSpeed", 2500);
        sim.SetSignal("EngineData", "Gear", "Third");
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(100));

        var engine = _bus.Sent.Where(s => s.Message.ArbitrationId == 200).Select(s => _db.Decode(s.Message)!).ToList();
        engine.Select(d => d["EngineSpeed"].Value).Should().Equal(800, 800, 2500);
        engine[^1]["Gear"].ChoiceName.Should().Be("Third");
        sim.GetSignal("EngineData", "EngineSpeed").Should().Be(2500);
        sim.SignalChanges.Should().Be(2);
    }

    [Fact]
    public void SetSignal_InvalidValueOrName_ThrowsAndKeepsTheOldValue()
    {
        using var sim = new RestbusSimulation(_bus, _db, Options(nodes: ["Engine"]));

        FluentActions.Invoking(() => sim.SetSignal("EngineData", "EngineSpeed", 1e9)).Should().Throw<DbcEncodingException>().WithMessage("*EngineSpeed*");
        FluentActions.Invoking(() => sim.SetSignal("EngineData", "Nope", 1)).Should().Throw<KeyNotFoundException>();
        FluentActions.Invoking(() => sim.SetSignal("DiagExt", "Mode", 1)).Should().Throw<KeyNotFoundException>().WithMessage("*not part*");
        FluentActions.Invoking(() => sim.SetSignal("EngineData", "Gear", "Fifth")).Should().Throw<KeyNotFoundException>();
        sim.GetSignal("EngineData", "EngineSpeed").Should().Be(800);
    }

    [Fact]
    public void SetSignal_MultiplexedSignals_FollowTheSwitch()
    {
        using var sim = new RestbusSimulation(_bus, _db, Options(nodes: ["Engine"]));

        sim.SetSignal("ExtMux", "Sw1", 4);
        sim.SetSignal("ExtMux", "B", 1000);
        var withB = _db.Decode(sim.GetFrame("ExtMux"))!;
        sim.SetSignal("ExtMux", "Sw1", 1);
        sim.SetSignal("ExtMux", "Sw2", 2);
        sim.SetSignal("ExtMux", "A", 77);
        var withA = _db.Decode(sim.GetFrame("ExtMux"))!;

        withB["B"].Value.Should().Be(1000);
        withA["A"].Value.Should().Be(77);
        withA.TryGetSignal("B", out _).Should().BeFalse();
    }

    [Fact]
    public void StopAndDispose_StopSending()
    {
        var sim = new RestbusSimulation(_bus, _db, Options(nodes: ["Engine"]));
        sim.Start();
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(10));
        sim.Stop();
        var afterStop = _bus.SendCount;
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(300));
        _bus.SendCount.Should().Be(afterStop);

        sim.Start();
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(10));
        sim.Dispose();
        var afterDispose = _bus.SendCount;
        _clock.AdvanceInSteps(TimeSpan.FromMilliseconds(300));

        afterDispose.Should().Be(afterStop + 2);
        _bus.SendCount.Should().Be(afterDispose);
        _bus.PeriodicTasks.Should().BeEmpty();
        FluentActions.Invoking(sim.Start).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void SendOnce_MessageWithoutCycleTime_SendsItsCurrentFrame()
    {
        using var sim = new RestbusSimulation(_bus, _db, Options(nodes: ["Gateway"]));

        sim.SetSignal("FloatMsg", "F32", 2.5);
        sim.SendOnce("FloatMsg");

        _bus.Sent.Should().ContainSingle().Which.Message.IsFd.Should().BeTrue();
        _db.Decode(_bus.Sent[0].Message)!["F32"].Value.Should().Be(2.5);
        sim.FramesSent.Should().Be(1);
    }
}
