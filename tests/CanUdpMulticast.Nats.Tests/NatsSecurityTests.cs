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
