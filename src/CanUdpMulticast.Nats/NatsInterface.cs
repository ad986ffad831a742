using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Nats;

/// <summary>
/// Registers the <c>"nats"</c> interface with a registry (explicitly, AOT-safe), so
/// <c>CanBus.Create("nats", "lab1.bench3", ...)</c> and <c>canudp ... -i nats</c> open a <see cref="NatsBus"/>.
/// </summary>
public static class NatsInterface
{
    /// <summary>The interface name.</summary>
    public const string Name = "nats";

    /// <summary>Registers <c>"nats"</c> (replacing an earlier registration of the name).</summary>
    /// <param name="registry">The registry, e.g. <see cref="CanInterfaceRegistry.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public static void Register(CanInterfaceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(Name, Create);
    }

    /// <summary>
    /// Maps python-can-style keyword options onto <see cref="NatsBusOptions"/>: <c>servers</c> (comma-separated URLs),
    /// <c>subject_prefix</c>, <c>connection_name</c>, <c>user</c>, <c>password</c>, <c>token</c>, <c>nkey_seed</c>,
    /// <c>creds_file</c>, <c>tls_ca</c>, <c>tls_cert</c>, <c>tls_key</c>, <c>fd</c>, <c>receive_own_messages</c>,
    /// <c>preserve_timestamps</c>, <c>pending_while_disconnected</c>, <c>disconnected_send_mode</c>
    /// (<c>drop_newest</c> or <c>block</c>), <c>connect_timeout</c> (seconds), <c>rx_queue_size</c>. The channel names the bus.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The options.</returns>
    /// <exception cref="CanInitializationException">An option has an invalid value.</exception>
    public static NatsBusOptions ToOptions(BusConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var servers = config.GetString("servers") ?? config.GetString("server") ?? NatsBusOptions.DefaultServer;
        return new NatsBusOptions
        {
            Bus = config.Channel ?? "default",
            Servers = servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            SubjectPrefix = config.GetString("subject_prefix", NatsBusOptions.DefaultSubjectPrefix)!,
            ConnectionName = config.GetString("connection_name"),
            User = config.GetString("user"),
            Password = config.GetString("password"),
            Token = config.GetString("token"),
            NKeySeed = config.GetString("nkey_seed"),
            CredentialsFile = config.GetString("creds_file"),
            TlsCaFile = config.GetString("tls_ca"),
            TlsCertFile = config.GetString("tls_cert"),
            TlsKeyFile = config.GetString("tls_key"),
            Fd = config.GetBoolean("fd", true),
            ReceiveOwnMessages = config.GetBoolean("receive_own_messages", false),
            PreserveTimestamps = config.GetBoolean("preserve_timestamps", false),
            PendingWhileDisconnected = config.GetInt32("pending_while_disconnected", 10_000, min: 0),
            DisconnectedSendMode = config.GetEnum("disconnected_send_mode", NatsDisconnectedSendMode.DropNewest),
            ConnectTimeout = config.GetSeconds("connect_timeout", TimeSpan.FromSeconds(5)),
            ReceiveQueueCapacity = config.GetInt32("rx_queue_size", 65_536, min: 0),
            Filters = config.Filters,
        };
    }

    private static NatsBus Create(BusConfiguration config) => new(ToOptions(config));
}
