using System.Diagnostics;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>TLS against a real nats-server with a CA made by the test: server authentication and mutual TLS.</summary>
public sealed class NatsTlsTests : IDisposable
{
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(8);

    private readonly string _directory = Directory.CreateTempSubdirectory("nats-tls-").FullName;
    private readonly TestCertificates _pki;
    private readonly TestCertificates _otherPki;

    public NatsTlsTests()
    {
        _pki = TestCertificates.Create(Directory.CreateDirectory(Path.Combine(_directory, "pki")).FullName);
        _otherPki = TestCertificates.Create(Directory.CreateDirectory(Path.Combine(_directory, "other")).FullName, "some other CA");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Open_ServerCaTrusted_FramesFlowOverTls()
    {
        using var server = StartServer(verifyClients: false);
        var options = Frames.Options(server.Url, "lab") with { TlsCaFile = _pki.CaFile };
        using var receiver = new NatsBus(options);
        using var sender = new NatsBus(options);
        var frames = Frames.EveryKind();

        foreach (var frame in frames)
        {
            sender.Send(frame);
        }

        var received = Frames.ReceiveAll(receiver, frames.Length, TimeSpan.FromSeconds(5));
        received.Should().HaveCount(frames.Length);
        received.Select(m => m.ArbitrationId).Should().Equal(frames.Select(m => m.ArbitrationId));
        server.Output.Should().Contain("TLS required for client connections");
    }

    [Fact]
    public void Open_ServerCertificateFromAnotherCa_ThrowsInitializationNamingTheServerWithoutHanging()
    {
        using var server = StartServer(verifyClients: false);
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { TlsCaFile = _otherPki.CaFile });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*TLS*");
        watch.Elapsed.Should().BeLessThan(FailFast);
    }

    [Fact]
    public void Open_NoTlsOptionsOnTlsServer_ThrowsInitializationNamingTheServer()
    {
        using var server = StartServer(verifyClients: false);

        // The client upgrades because the server requires it, then trusts only the system store, which lacks our CA.
        var open = () => new NatsBus(Frames.Options(server.Url, "lab"));

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*TLS*");
    }

    [Fact]
    public void Open_MutualTlsWithClientCertificate_FramesFlow()
    {
        using var server = StartServer(verifyClients: true);
        var options = Frames.Options(server.Url, "lab") with
        {
            TlsCaFile = _pki.CaFile,
            TlsCertFile = _pki.ClientCertFile,
            TlsKeyFile = _pki.ClientKeyFile,
        };
        using var receiver = new NatsBus(options);
        using var sender = new NatsBus(options);

        sender.Send(new CanMessage { ArbitrationId = 0x321, Data = new byte[] { 1, 2 } });

        Frames.ReceiveAll(receiver, 1, TimeSpan.FromSeconds(5)).Should().ContainSingle().Which.ArbitrationId.Should().Be(0x321);
    }

    [Fact]
    public void Open_MutualTlsWithoutClientCertificate_ThrowsInitializationNamingTheServerWithoutHanging()
    {
        using var server = StartServer(verifyClients: true);
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { TlsCaFile = _pki.CaFile });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*TLS*");
        watch.Elapsed.Should().BeLessThan(FailFast);
    }

    [Fact]
    public void Open_MutualTlsWithCertificateOfAnotherCa_ThrowsInitializationNamingTheServer()
    {
        using var server = StartServer(verifyClients: true);

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with
        {
            TlsCaFile = _pki.CaFile,
            TlsCertFile = _otherPki.ClientCertFile,
            TlsKeyFile = _otherPki.ClientKeyFile,
        });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*TLS*");
    }

    [Fact]
    public void Create_TlsBusOptions_OpenMutualTlsBus()
    {
        using var server = StartServer(verifyClients: true);
        var registry = new CanInterfaceRegistry();
        NatsInterface.Register(registry);

        var config = new BusConfiguration(NatsInterface.Name, "lab",
        [
            new("servers", server.Url), new("tls_ca", _pki.CaFile), new("tls_cert", _pki.ClientCertFile),
            new("tls_key", _pki.ClientKeyFile), new("receive_own_messages", "true"),
        ]);

        using var bus = registry.Create(config);
        bus.Send(new CanMessage { ArbitrationId = 0x42 });

        var received = bus.Receive(TimeSpan.FromSeconds(5));
        received.Should().NotBeNull();
        received!.Value.ArbitrationId.Should().Be(0x42);
    }

    private NatsServerProcess StartServer(bool verifyClients) => NatsServerProcess.Start(config: $$"""
        listen: 127.0.0.1:{port}
        tls {
          cert_file: "{{_pki.ServerCertFile}}"
          key_file: "{{_pki.ServerKeyFile}}"
          ca_file: "{{_pki.CaFile}}"
          verify: {{(verifyClients ? "true" : "false")}}
          timeout: 2
        }
        """);
}
