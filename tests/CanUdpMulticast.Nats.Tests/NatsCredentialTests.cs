using System.Diagnostics;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Registry;
using NATS.NKeys;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>Token, NKey and <c>.creds</c> (operator/account/user JWT) authentication against a real nats-server.</summary>
public sealed class NatsCredentialTests : IDisposable
{
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(8);

    private readonly string _directory = Directory.CreateTempSubdirectory("nats-creds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Open_RightToken_FramesFlow()
    {
        using var server = NatsServerProcess.Start(config: TokenConfig);
        var options = Frames.Options(server.Url, "lab") with { Token = "s3cr3t-token" };
        using var receiver = new NatsBus(options);
        using var sender = new NatsBus(options);

        sender.Send(new CanMessage { ArbitrationId = 7 });

        Frames.ReceiveAll(receiver, 1, TimeSpan.FromSeconds(5)).Should().ContainSingle().Which.ArbitrationId.Should().Be(7);
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData(null)]
    public void Open_WrongOrNoToken_ThrowsInitializationNamingTheServerWithoutHanging(string? token)
    {
        using var server = NatsServerProcess.Start(config: TokenConfig);
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { Token = token });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*uthoriz*");
        watch.Elapsed.Should().BeLessThan(FailFast);
    }

    [Fact]
    public void Open_SeedOfAuthorizedNKeyUser_FramesFlow()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var server = NatsServerProcess.Start(config: NKeyConfig(user.GetPublicKey()));
        var options = Frames.Options(server.Url, "lab") with { NKeySeed = user.GetSeed() };
        using var receiver = new NatsBus(options);
        using var sender = new NatsBus(options);

        sender.Send(new CanMessage { ArbitrationId = 0x1ABCDE12, IsExtendedId = true });

        Frames.ReceiveAll(receiver, 1, TimeSpan.FromSeconds(5)).Should().ContainSingle().Which.ArbitrationId.Should().Be(0x1ABCDE12);
    }

    [Fact]
    public void Open_SeedOfAnotherNKeyUser_ThrowsInitializationNamingTheServerWithoutHanging()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var stranger = KeyPair.CreatePair(PrefixByte.User);
        using var server = NatsServerProcess.Start(config: NKeyConfig(user.GetPublicKey()));
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { NKeySeed = stranger.GetSeed() });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*uthoriz*");
        watch.Elapsed.Should().BeLessThan(FailFast);
    }

    [Fact]
    public void Open_MalformedNKeySeed_ThrowsInitializationNamingTheServer()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var server = NatsServerProcess.Start(config: NKeyConfig(user.GetPublicKey()));

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { NKeySeed = "SUNOTASEED" });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*NKey seed*")
            .Which.Message.Should().NotContain("SUNOTASEED", "a seed is a secret");
    }

    [Fact]
    public void Open_CredsFileOfAccountUser_FramesFlow()
    {
        using var trust = JwtTrust.Create();
        using var server = NatsServerProcess.Start(config: trust.ServerConfig(_directory));
        var options = Frames.Options(server.Url, "lab") with { CredentialsFile = trust.WriteCreds(_directory, "bench") };
        using var receiver = new NatsBus(options);
        using var sender = new NatsBus(options);
        var frames = Frames.EveryKind();

        foreach (var frame in frames)
        {
            sender.Send(frame);
        }

        Frames.ReceiveAll(receiver, frames.Length, TimeSpan.FromSeconds(5)).Select(m => m.ArbitrationId)
            .Should().Equal(frames.Select(m => m.ArbitrationId));
    }

    [Fact]
    public void Open_CredsFileOfUnknownAccount_ThrowsInitializationNamingTheServerWithoutHanging()
    {
        using var trust = JwtTrust.Create();
        using var foreign = JwtTrust.Create(); // same layout, but an account the server was never told about
        using var server = NatsServerProcess.Start(config: trust.ServerConfig(_directory));
        var watch = Stopwatch.StartNew();

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { CredentialsFile = foreign.WriteCreds(_directory, "intruder") });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*uthoriz*");
        watch.Elapsed.Should().BeLessThan(FailFast);
    }

    [Fact]
    public void Open_CredsUserMayNotSubscribeToTheBus_ThrowsInitializationNamingTheSubject()
    {
        using var trust = JwtTrust.Create();
        using var server = NatsServerProcess.Start(config: trust.ServerConfig(_directory));
        var creds = trust.WriteCreds(_directory, "site-a", subscribeAllow: ["can.site-a.>", "_INBOX.>"]);

        var allowed = () => new NatsBus(Frames.Options(server.Url, "site-a") with { CredentialsFile = creds }).Dispose();
        var open = () => new NatsBus(Frames.Options(server.Url, "site-b") with { CredentialsFile = creds });

        allowed.Should().NotThrow();
        open.Should().Throw<CanInitializationException>().WithMessage("*can.site-b.>*").WithMessage($"*{server.Url}*");
    }

    [Fact]
    public void Open_MissingCredsFile_ThrowsInitializationNamingTheServer()
    {
        using var trust = JwtTrust.Create();
        using var server = NatsServerProcess.Start(config: trust.ServerConfig(_directory));

        var open = () => new NatsBus(Frames.Options(server.Url, "lab") with { CredentialsFile = Path.Combine(_directory, "absent.creds") });

        open.Should().Throw<CanInitializationException>().WithMessage($"*{server.Url}*").WithMessage("*absent.creds*");
    }

    [Fact]
    public void Create_NKeySeedAndCredsFileBusOptions_OpenAuthenticatedBuses()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var trust = JwtTrust.Create();
        using var nkeyServer = NatsServerProcess.Start(config: NKeyConfig(user.GetPublicKey()));
        using var jwtServer = NatsServerProcess.Start(config: trust.ServerConfig(_directory));
        var registry = new CanInterfaceRegistry();
        NatsInterface.Register(registry);

        using var nkeyBus = registry.Create(new BusConfiguration(NatsInterface.Name, "lab",
            [new("servers", nkeyServer.Url), new("nkey_seed", user.GetSeed()), new("receive_own_messages", "true")]));
        using var jwtBus = registry.Create(new BusConfiguration(NatsInterface.Name, "lab",
            [new("servers", jwtServer.Url), new("creds_file", trust.WriteCreds(_directory, "cli")), new("receive_own_messages", "true")]));

        foreach (var bus in new[] { nkeyBus, jwtBus })
        {
            bus.Send(new CanMessage { ArbitrationId = 0x55 });
            var received = bus.Receive(TimeSpan.FromSeconds(5));
            received.Should().NotBeNull();
            received!.Value.ArbitrationId.Should().Be(0x55);
        }
    }

    private const string TokenConfig = """
        listen: 127.0.0.1:{port}
        authorization { token: "s3cr3t-token" }
        """;

    private static string NKeyConfig(string userPublicKey) => $$"""
        listen: 127.0.0.1:{port}
        authorization { users = [ { nkey: {{userPublicKey}} } ] }
        """;

    /// <summary>An operator and one account (in the server's memory resolver) that issue user <c>.creds</c> files.</summary>
    private sealed class JwtTrust : IDisposable
    {
        private readonly KeyPair _operator = KeyPair.CreatePair(PrefixByte.Operator);
        private readonly KeyPair _account = KeyPair.CreatePair(PrefixByte.Account);

        public static JwtTrust Create() => new();

        public string ServerConfig(string directory)
        {
            var operatorFile = Path.Combine(directory, $"operator-{Guid.NewGuid():N}.jwt");
            File.WriteAllText(operatorFile, NatsJwt.Operator(_operator, "canudp-test-operator"));
            return $$"""
                listen: 127.0.0.1:{port}
                operator: "{{operatorFile}}"
                resolver: MEMORY
                resolver_preload: {
                  {{_account.GetPublicKey()}}: "{{NatsJwt.Account(_operator, _account, "canudp-test-account")}}"
                }
                """;
        }

        public string WriteCreds(string directory, string name, IReadOnlyList<string>? subscribeAllow = null)
        {
            using var user = KeyPair.CreatePair(PrefixByte.User);
            var path = Path.Combine(directory, $"{name}-{Guid.NewGuid():N}.creds");
            File.WriteAllText(path, NatsJwt.Creds(NatsJwt.User(_account, user, name, subscribeAllow), user));
            return path;
        }

        public void Dispose()
        {
            _operator.Dispose();
            _account.Dispose();
        }
    }
}
