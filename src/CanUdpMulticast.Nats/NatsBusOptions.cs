using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Nats;

/// <summary>The settings of a <see cref="NatsBus"/>.</summary>
public sealed record NatsBusOptions
{
    /// <summary>The default server, a local <c>nats-server</c>.</summary>
    public const string DefaultServer = "nats://127.0.0.1:4222";

    /// <summary>The default first subject token.</summary>
    public const string DefaultSubjectPrefix = "can";

    /// <summary>The name of the bus (python-can's channel): one subject token, e.g. <c>lab1-bench3</c>; dots in it
    /// separate several tokens (<c>lab1.bench3</c>). Every frame of the bus goes to subjects under
    /// <c>&lt;prefix&gt;.&lt;bus&gt;</c>.</summary>
    public string Bus { get; init; } = "default";

    /// <summary>The server URLs (several for a cluster: the client reconnects to another when one is lost).</summary>
    public IReadOnlyList<string> Servers { get; init; } = [DefaultServer];

    /// <summary>The subject prefix (one or more tokens), <see cref="DefaultSubjectPrefix"/> by default.</summary>
    public string SubjectPrefix { get; init; } = DefaultSubjectPrefix;

    /// <summary>The connection name the server shows (monitoring); <see langword="null"/> for a generated one.</summary>
    public string? ConnectionName { get; init; }

    /// <summary>User name for user/password authentication.</summary>
    public string? User { get; init; }

    /// <summary>Password for user/password authentication.</summary>
    public string? Password { get; init; }

    /// <summary>Token for token authentication.</summary>
    public string? Token { get; init; }

    /// <summary>An NKey seed (<c>SU...</c>) for NKey authentication.</summary>
    public string? NKeySeed { get; init; }

    /// <summary>The path of a <c>.creds</c> file (JWT + NKey seed, decentralised authentication).</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>The path of a PEM CA bundle that signs the server's certificate; setting it requires TLS.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>The path of the client certificate (PEM) for mutual TLS.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>The path of the client certificate's private key (PEM).</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Whether CAN FD frames may be sent (python-can's <c>fd</c>); classic-only buses reject FD frames.</summary>
    public bool Fd { get; init; } = true;

    /// <summary>Whether frames this bus sent are received too (as <see cref="CanMessage.IsRx"/> false).</summary>
    public bool ReceiveOwnMessages { get; init; }

    /// <summary>Whether received frames keep the sender's timestamp; otherwise (as python-can's udp_multicast) they get
    /// the receive time.</summary>
    public bool PreserveTimestamps { get; init; }

    /// <summary>How many frames may be sent while the connection is down before <see cref="DisconnectedSendMode"/> applies.</summary>
    public int PendingWhileDisconnected { get; init; } = 10_000;

    /// <summary>What happens to a frame sent when <see cref="PendingWhileDisconnected"/> frames already wait.</summary>
    public NatsDisconnectedSendMode DisconnectedSendMode { get; init; } = NatsDisconnectedSendMode.DropNewest;

    /// <summary>How long opening the bus may take (connect, authenticate, subscribe) before it fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most received frames queued for readers; more are dropped and counted. 0 = unbounded.</summary>
    public int ReceiveQueueCapacity { get; init; } = 65_536;

    /// <summary>The initial acceptance filters (server-side subscriptions where the subject scheme allows).</summary>
    public IReadOnlyList<CanFilter>? Filters { get; init; }

    /// <summary>Where the bus logs; <see langword="null"/> for nowhere.</summary>
    public ILogger? Logger { get; init; }
}
