using System.Diagnostics;
using CanUdpMulticast.Nats.Tests.Support;

namespace CanUdpMulticast.Nats.Tests;

public sealed class NatsSecurityTests : IDisposable
{
    private const string Config = """
        listen: 127.0.0.1:{port}
        authorization {
          users = [
            { user: bench, password: secret }
            { user: limited, password: secret, permissions: {
                publish: { allow: ["can.lab.s.>", "_INBOX.>"] }
                subscribe: { allow: ["can.lab.>", "_INBOX.>"] } } }
            { user: standard, password: secret, permissions: {
                publish: { allow: ["can.lab.>", "_INBOX.>"] }
                subscribe: { allow: ["can.lab.s.>", "_INBOX.>"] } } }
          ]
        }
        """;

    private readonly NatsServerProcess _server = NatsServerProcess.Start(config: Config);

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Open_WrongPassword_ThrowsInitializationNamingTheServerWithoutHanging()
    {
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options(_server.Url, "lab") with { User = "bench", Password = "wrong" });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{_server.Url}*").WithMessage("*uthoriz*");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void Open_RightPassword_SendsAndReceives()
    {
        var options = Frames.Options(_server.Url, "lab") with { User = "bench", Password = "secret" };
        using var receiver = new NatsBus(options);
        using var sender = new NatsBus(options);

        sender.Send(new CanMessage { ArbitrationId = 5 });

        Frames.ReceiveAll(receiver, 1, TimeSpan.FromSeconds(5)).Should().ContainSingle();
    }

    [Fact]
    public void Open_SubscriptionNotPermitted_ThrowsInitializationNamingTheSubject()
    {
        var open = () => new NatsBus(Frames.Options(_server.Url, "other") with { User = "limited", Password = "secret" });

        open.Should().Throw<CanInitializationException>().WithMessage("*can.other.>*").WithMessage($"*{_server.Url}*");
    }

    [Fact]
    public void Open_FilteredSubscriptionNotPermitted_ThrowsInitializationNamingTheSubject()
    {
        var open = () => new NatsBus(Frames.Options(_server.Url, "other") with
        {
            User = "limited",
            Password = "secret",
            Filters = [new CanFilter(0x123, 0x7FF, false)],
        });

        open.Should().Throw<CanInitializationException>().WithMessage("*can.other.s.1.2.3*");
    }

    [Fact]
    public void Send_PublishNotPermitted_NextSendThrowsOperationNamingTheSubject()
    {
        using var bus = new NatsBus(Frames.Options(_server.Url, "lab") with { User = "limited", Password = "secret" });
        var extended = new CanMessage { ArbitrationId = 0x100, IsExtendedId = true };

        bus.Send(extended); // the server refuses it asynchronously
        Frames.WaitUntil(() => ThrowsOnSend(bus, extended), TimeSpan.FromSeconds(5), "the violation is reported");

        var send = () => bus.Send(extended);
        send.Should().Throw<CanOperationException>().WithMessage("*can.lab.x.0.0.0.0.0.1.0.0*");
        bus.Send(new CanMessage { ArbitrationId = 0x100 }); // a permitted subject still works
    }

    [Fact]
    public void Open_WrongUser_ThrowsInitializationNamingTheServer()
    {
        var open = () => new NatsBus(Frames.Options(_server.Url, "lab") with { User = "nobody", Password = "secret" });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{_server.Url}*").WithMessage("*uthoriz*");
    }

    [Fact]
    public void Open_NoCredentialsOnServerThatRequiresThem_ThrowsInitializationNamingTheServer()
    {
        var open = () => new NatsBus(Frames.Options(_server.Url, "lab"));

        open.Should().Throw<CanInitializationException>().WithMessage($"*{_server.Url}*").WithMessage("*uthoriz*");
    }

    [Fact]
    public void SetFilters_SubscriptionNotPermittedOnOpenBus_ThrowsOperationNamingTheSubjectAndKeepsTheOldFilters()
    {
        var options = Frames.Options(_server.Url, "lab") with { User = "standard", Password = "secret" };
        using var bus = new NatsBus(options with { Filters = [new CanFilter(0x123, 0x7FF, false)] });
        using var sender = new NatsBus(options with { User = "bench" });
        var watch = Stopwatch.StartNew();

        var change = () => bus.SetFilters([new CanFilter(0x100, 0x1FFFFFFF, true)]);

        change.Should().Throw<CanOperationException>().WithMessage("*can.lab.x.0.0.0.0.0.1.0.0*").WithMessage($"*{_server.Url}*");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        bus.Subscriptions.Should().Equal("can.lab.s.1.2.3");
        bus.Filters.Should().Equal(new CanFilter(0x123, 0x7FF, false));
        sender.Send(new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 1 } });
        Frames.ReceiveAll(bus, 1, TimeSpan.FromSeconds(5)).Should().ContainSingle().Which.ArbitrationId.Should().Be(0x123);
    }

    [Fact]
    public async Task SetFilters_ClientReportsTheRefusalLate_StillThrowsAndTheNextChangeIsNotBlamedForIt()
    {
        // NATS.Net raises ServerError on one task, one event after another: hold that task up (as a starved thread
        // pool does) so that the refusal's event comes long after the server's PONG. The change must not pass for
        // accepted, and the late event must not make the next, permitted change fail.
        var options = Frames.Options(_server.Url, "lab") with { User = "standard", Password = "secret" };
        using var bus = new NatsBus(options with { Filters = [new CanFilter(0x123, 0x7FF, false)] });
        using var eventsHeldUp = new ManualResetEventSlim();
        bus.Connection.ServerError += (_, _) =>
        {
            eventsHeldUp.Wait(TimeSpan.FromSeconds(10));
            return default;
        };
        await bus.Connection.PublishAsync("not.permitted", 1); // its refusal's event now holds up the ones after it
        await bus.Connection.PingAsync();

        var change = () => bus.SetFilters([new CanFilter(0x100, 0x1FFFFFFF, true)]);

        change.Should().Throw<CanOperationException>().WithMessage("*can.lab.x.0.0.0.0.0.1.0.0*");
        eventsHeldUp.Set();
        await bus.Connection.PingAsync();
        bus.SetFilters([new CanFilter(0x456, 0x7FF, false)]);
        bus.Subscriptions.Should().Equal("can.lab.s.4.5.6");
    }

    [Fact]
    public void SetFilters_PermittedChangeOnOpenBus_Resubscribes()
    {
        var options = Frames.Options(_server.Url, "lab") with { User = "standard", Password = "secret" };
        using var bus = new NatsBus(options with { Filters = [new CanFilter(0x123, 0x7FF, false)] });

        bus.SetFilters([new CanFilter(0x456, 0x7FF, false)]);

        bus.Subscriptions.Should().Equal("can.lab.s.4.5.6");
    }

    [Fact]
    public void SetFilters_ServerNotAnswering_ThrowsTimeoutAndLeavesTheOldSubscriptions()
    {
        var options = Frames.Options(_server.Url, "lab") with { User = "bench", Password = "secret" };
        using var bus = new NatsBus(options with { Filters = [new CanFilter(0x123, 0x7FF, false)] });
        var watch = Stopwatch.StartNew();
        _server.Pause();
        try
        {
            var change = () => bus.SetFilters([new CanFilter(0x456, 0x7FF, false)]);

            change.Should().Throw<CanTimeoutException>().WithMessage($"*{_server.Url}*");
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        }
        finally
        {
            _server.Resume();
        }

        // The abandoned change finishes once the server answers again; it must undo itself, not apply late.
        Frames.WaitUntil(() => !bus.IsResubscribing, TimeSpan.FromSeconds(5), "the timed-out change has finished");
        bus.Subscriptions.Should().Equal("can.lab.s.1.2.3");
        bus.Filters.Should().Equal(new CanFilter(0x123, 0x7FF, false));
        bus.SetFilters([new CanFilter(0x456, 0x7FF, false)]);
        bus.Subscriptions.Should().Equal("can.lab.s.4.5.6");
    }

    private static bool ThrowsOnSend(NatsBus bus, in CanMessage message)
    {
        try
        {
            bus.Send(message);
            return false;
        }
        catch (CanOperationException)
        {
            return true;
        }
    }
}
